/**
 * A speech engine from a module of the user's own (`DICTATE_ENGINE=/path/to/engine.ts`), for models
 * Dictate does not ship: sherpa-onnx, whisper.cpp, Vosk… The module exports `createEngine(options)`
 * returning a {@link SpeechEngine} (or a promise of one). The dialects and the connection lifecycle stay
 * as they are: they know only the interface. docs/engines.md says how to write one.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { unavailableEngine, type SpeechEngine } from './engine';

/** What `createEngine` receives. */
export interface EngineModuleOptions {
  /** Sessions the server allows at once (`DICTATE_MAX_SESSIONS`): a pool of recognizers need not be larger. */
  readonly maxSessions: number;
}

/** The shape of an engine module. */
export interface EngineModule {
  createEngine(options: EngineModuleOptions): SpeechEngine | Promise<SpeechEngine>;
}

const isEngine = (e: unknown): e is SpeechEngine =>
  typeof e === 'object' && e !== null && typeof (e as SpeechEngine).health === 'function' && typeof (e as SpeechEngine).open === 'function';

/**
 * Loads an engine module.
 * @param path - the module's file (relative to `cwd`, or absolute); TypeScript works under `npm start` (tsx)
 * @returns its engine; an engine that cannot run (saying why) when the module is missing, throws, or
 *   exports no `createEngine` returning a {@link SpeechEngine}. Never throws: the server still starts and
 *   `/healthz` says what is wrong.
 */
export async function loadEngineModule(path: string, options: EngineModuleOptions, cwd = process.cwd()): Promise<SpeechEngine> {
  const file = isAbsolute(path) ? path : resolve(cwd, path);
  try {
    const mod = (await import(pathToFileURL(file).href)) as Partial<EngineModule>;
    if (typeof mod.createEngine !== 'function')
      return unavailableEngine(`DICTATE_ENGINE=${path} exports no createEngine(options) function.`);
    const engine = await mod.createEngine(options);
    if (!isEngine(engine))
      return unavailableEngine(`DICTATE_ENGINE=${path}: createEngine() returned no engine (health() and open() are needed).`);
    return engine;
  } catch (cause) {
    return unavailableEngine(`DICTATE_ENGINE=${path} could not be loaded: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}
