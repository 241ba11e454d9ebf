// The first module of a decoder thread (server/engine/threaded.ts): plain JavaScript, so a thread starts
// whatever loader its process has (npm start, Vitest, a bench), then registers tsx's and loads the
// thread's TypeScript module, named in workerData.module.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
