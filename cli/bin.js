#!/usr/bin/env node
// The `lakefront` command. Sources are TypeScript, run through tsx so no build step is needed.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
