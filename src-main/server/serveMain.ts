/** The server door's process entry: `flowlab serve` and `npm run serve` both run it. */
import { UserError } from '../errors.js';
import { serveCommand } from './serveCommand.js';

serveCommand(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UserError) {
    console.error(`error: ${err.message}`);
    process.exit(1);
  }
  throw err;
});
