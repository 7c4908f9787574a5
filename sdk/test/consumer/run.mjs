// Runs the compiled consumer against the base URL given as the first argument; prints its report.
import { main } from './out/consumer.js';

console.log(JSON.stringify(await main(process.argv[2])));
