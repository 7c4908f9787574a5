// Read by types.test.ts through the TypeScript compiler: the client whose parameters' JSDoc it checks.
import { createLakefront } from '../src/index.js';

export const lf = createLakefront({ baseUrl: 'http://localhost:3000' });
