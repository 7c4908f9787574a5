// A worker thread does not inherit the tsx loader of the thread that started it: register it
// here, then load the TypeScript worker (as cli/bin.js does for the command).
import { register } from 'tsx/esm/api';

register();
await import('./decode-worker.ts');
