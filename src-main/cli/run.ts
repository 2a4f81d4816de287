/** Process entry of the CLI (bin/flowlab.mjs runs the compiled copy of this module's `main`). */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
