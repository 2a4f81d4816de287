/** `npm run serve`: the server door on its own, same flags as `flowlab serve`. */
import { UserError } from '../errors.js';
import { serveCommand } from './serveCommand.js';

serveCommand(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UserError) {
    console.error(`flowlab: ${err.message}`);
    process.exit(2);
  }
  throw err;
});
