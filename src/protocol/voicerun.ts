/**
 * VoiceRun Transcribe client protocol (docs/protocols.md, "VoiceRun Transcribe").
 *
 * Flow ("VoiceRun: connection flow"): connect → `session.created` → send `session.update` →
 * `session.updated` → stream `audio.append` (base64 PCM16 or mu-law, 20 ms) → `transcription.partial`
 * / `transcription.completed`, `speech.started` / `speech.stopped` → send `session.close` →
 * `session.closed`.
 *
 * A browser cannot set an `Authorization` header, so authentication is one of ("VoiceRun:
 * authentication"): a query parameter (`api_key`), `Sec-WebSocket-Protocol: bearer, <token>`, or the
 * first message `{"type":"auth","token":…}`. An invalid key closes with 4001.
 */
import { VOICERUN_CLOSE_UNAUTHORIZED } from './voicerun-contract';
import type { DictationErrorCode } from '../core/errors';
import type { ProtocolError } from '../core/events';
import { isObject } from '../core/json';
import { step, type AuthMethod, type ConnectionRequest, type ProtocolStep, type StreamingProtocol, type WireMessage } from './adapter';
import { bytesToBase64 } from './base64';
import { linearToMulaw } from './mulaw';
import { connectionRequest, textOption, type ConnectionSettings, type OptionValues, type VocabularyRequest } from './service';
import { joinPrompt, planVocabulary } from './vocabulary';
import { errorEvent, protocolError, readTypedMessage, unexpectedClose, UnknownTypes } from './wire';

/** Settings for one VoiceRun Transcribe connection. */
export interface VoiceRunSettings {
  /** Endpoint, e.g. `wss://transcribe.voicerun.com/ws`. */
  readonly url: string;
  readonly auth: AuthMethod;
  /** API key or token; ignored when `auth` is `none`. */
  readonly apiKey: string;
  /** `session.model`, e.g. `nova-3`. Required by the service. */
  readonly model: string;
  /** `session.provider`, e.g. `DEEPGRAM`. Required by the service. */
  readonly provider: string;
  /** `session.language`, BCP-47 or `multi`; empty sends nothing (service default `en`). */
  readonly language: string;
  /** `session.prompt`: keywords or context; empty sends nothing. */
  readonly prompt: string;
  /** `session.input_audio_format` ("VoiceRun: audio"): `mulaw` halves the bandwidth. Default `pcm16`. */
  readonly audioFormat?: 'pcm16' | 'mulaw';
}

/** Query parameter that carries the key when `auth` is `query`. */
export const VOICERUN_QUERY_PARAMETER = 'api_key';

/**
 * The service's error codes ("VoiceRun: server messages", `error`) as Dictate's. A code not in the
 * table is read as `service-failed`, with the code kept in the detail.
 */
const SERVICE_ERRORS: Readonly<Record<string, DictationErrorCode>> = {
  invalid_message: 'rejected-message',
  invalid_config: 'rejected-settings',
  invalid_model: 'unsupported-model',
  invalid_provider: 'unsupported-model',
  provider_error: 'service-failed',
  internal_error: 'service-failed',
};
/** Service codes after which the session cannot usefully continue, even once it is streaming. */
const FATAL_AFTER_READY: ReadonlySet<string> = new Set(['invalid_config', 'invalid_model', 'invalid_provider']);

type Phase = 'connecting' | 'awaiting-created' | 'awaiting-updated' | 'streaming' | 'closing' | 'closed';

/** A VoiceRun Transcribe protocol state machine for one session. */
export class VoiceRunProtocol implements StreamingProtocol {
  private phase: Phase = 'connecting';
  private readonly unknownTypes = new UnknownTypes();
  /** speech.started / speech.stopped ("VoiceRun: server messages"). */
  readonly reportsVad = true;
  /** VoiceRun answers speech with `speech.started` and partials within moments. */
  readonly replyWithinMs = 10_000;

  constructor(private readonly settings: VoiceRunSettings) {}

  /**
   * The URL (with `api_key` for query auth) and subprotocols (`bearer`, token) to connect with.
   * @throws Error when the URL is not ws:/wss:, or a key is needed and missing or unsendable.
   */
  connection(): ConnectionRequest {
    return connectionRequest({ url: this.settings.url, auth: this.settings.auth, key: this.settings.apiKey }, {}, VOICERUN_QUERY_PARAMETER);
  }

  /** First-message auth ("VoiceRun: authentication"), else nothing. */
  open(): ProtocolStep {
    this.phase = 'awaiting-created';
    if (this.settings.auth === 'first-message') {
      return step([], [JSON.stringify({ type: 'auth', token: this.settings.apiKey.trim() })]);
    }
    return step();
  }

  /** `session.update` ("VoiceRun: client messages"), built from the settings. */
  sessionUpdate(): string {
    const { model, provider, language, prompt } = this.settings;
    const session: Record<string, string | number> = { model, provider };
    if (language.trim()) session.language = language.trim();
    if (prompt.trim()) session.prompt = prompt.trim();
    session.input_audio_format = this.settings.audioFormat ?? 'pcm16';
    session.sample_rate = 16000;
    return JSON.stringify({ type: 'session.update', session });
  }

  receive(data: WireMessage): ProtocolStep {
    const read = readTypedMessage(data);
    if (read.error) return step([read.error]);
    const message = read.value;
    switch (message.type) {
      case 'session.created': {
        if (this.phase !== 'awaiting-created') return step();
        this.phase = 'awaiting-updated';
        return step([], [this.sessionUpdate()]);
      }
      case 'session.updated': {
        if (this.phase !== 'awaiting-updated') return step();
        this.phase = 'streaming';
        return step([{ type: 'ready' }]);
      }
      case 'speech.started':
        return step([{ type: 'speech-started' }]);
      case 'speech.stopped':
        return step([{ type: 'speech-stopped' }]);
      case 'transcription.partial':
        if (typeof message.text !== 'string')
          return step([errorEvent('malformed-message', 'transcription.partial without a "text" string.')]);
        return step([{ type: 'partial', text: message.text }]);
      case 'transcription.completed': {
        if (typeof message.text !== 'string')
          return step([errorEvent('malformed-message', 'transcription.completed without a "text" string.')]);
        const language = typeof message.language === 'string' ? message.language : undefined;
        return step([{ type: 'final', text: message.text, ...(language ? { language } : {}) }]);
      }
      case 'session.closed':
        this.phase = 'closed';
        return step([{ type: 'finished' }]);
      case 'error':
        return step([{ type: 'error', error: this.serviceError(message.error) }]);
      default:
        return step(this.unknownTypes.report(message.type));
    }
  }

  private serviceError(body: unknown): ProtocolError {
    const beforeReady = this.phase === 'awaiting-created' || this.phase === 'awaiting-updated';
    if (!isObject(body) || typeof body.code !== 'string') {
      return protocolError('malformed-message', 'The server sent an error without a code.', beforeReady);
    }
    const message = typeof body.message === 'string' ? body.message : '';
    const known = SERVICE_ERRORS[body.code];
    return protocolError(
      known ?? 'service-failed',
      known ? message : `${body.code}: ${message}`,
      beforeReady || FATAL_AFTER_READY.has(body.code),
    );
  }

  /** `audio.append` ("VoiceRun: audio") with base64 PCM16 (640 bytes per 20 ms) or G.711 mu-law (320 bytes). */
  encodeAudio(pcm: ArrayBuffer): WireMessage {
    let bytes = new Uint8Array(pcm);
    if (this.settings.audioFormat === 'mulaw') {
      const samples = new Int16Array(pcm, 0, pcm.byteLength >> 1);
      bytes = new Uint8Array(samples.length);
      for (let i = 0; i < samples.length; i++) bytes[i] = linearToMulaw(samples[i]);
    }
    return `{"type":"audio.append","audio":"${bytesToBase64(bytes)}"}`;
  }

  /** `session.close`; `session.closed` answers it ("VoiceRun: connection flow"). */
  finish(): ProtocolStep {
    if (this.phase !== 'streaming') return step();
    this.phase = 'closing';
    return step([], [JSON.stringify({ type: 'session.close' })]);
  }

  /** 4001 is a refused key ("VoiceRun: close codes"); after `session.closed` any close is the normal end. */
  describeClose(code: number, reason: string): ProtocolError | null {
    if (code === VOICERUN_CLOSE_UNAUTHORIZED) return { ...protocolError('unauthorized', reason || 'Unauthorized', true), retryable: false };
    if (this.phase === 'closed') return null;
    return unexpectedClose(code, reason);
  }
}

/**
 * The VoiceRun Transcribe protocol for one session, from the user's options (see voiceRunService in `voicerun-service.ts`).
 * @throws Error with a user-facing sentence when the options cannot form a valid connection.
 */
export function createVoiceRun(connection: ConnectionSettings, options: OptionValues, vocabulary?: VocabularyRequest): StreamingProtocol {
  const [provider, model] = textOption(options, 'model').split(':');
  if (!provider || !model) throw new Error('Choose a model.');
  return new VoiceRunProtocol({
    url: connection.url,
    auth: connection.auth,
    apiKey: connection.key,
    provider,
    model,
    language: textOption(options, 'language'),
    // "VoiceRun: client messages": session.prompt holds keywords (Deepgram) or context (OpenAI), written
    // comma-separated as its example does; the vocabulary follows the user's own prompt.
    prompt: joinPrompt(textOption(options, 'prompt'), vocabulary ? planVocabulary(vocabulary.terms, vocabulary.local).sent : []),
    audioFormat: textOption(options, 'audioFormat') === 'mulaw' ? 'mulaw' : 'pcm16',
  });
}
