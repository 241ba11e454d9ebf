import { useEffect, useRef, useState } from 'react';
import { PROVIDERS } from '../protocol/registry';
import { formatBytes, formatDuration, segmentEndMs, versionKey, versionsOf, type SessionMeta } from '../transcript/model';
import { useDictation } from '../store/dictation';
import { useHistory } from '../store/history';
import { PLAYBACK_RATES, usePlayback } from '../store/playback';
import { download } from './download';

/** How often the position is reported while playing, ms (the transcript's highlight follows it). */
const REPORT_MS = 100;
/** The back and forward buttons' step, ms. */
const SKIP_MS = 5000;

const button =
  'rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600';

/** A provider as the picker names it, e.g. "Local engine (PocketSphinx, offline) (Reson8 protocol)". */
const providerName = (p: (typeof PROVIDERS)[number]) => `${p.label}${p.dialect ? ` (${p.dialect})` : ''}`;

/** "Transcribe again with…": the kept audio through any configured service, into a new version. */
function TranscribeAgain() {
  const provider = useDictation((s) => s.settings.provider);
  const transcribeKept = useDictation((s) => s.transcribeKept);
  const [choice, setChoice] = useState(provider);
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
      <label className="flex items-center gap-1">
        Transcribe again with
        <select
          value={choice}
          onChange={(e) => setChoice(e.currentTarget.value)}
          className="rounded-md border border-slate-300 bg-white px-1 py-1"
        >
          {PROVIDERS.map((p) => (
            <option key={p.id} value={p.id}>
              {providerName(p)}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className={button} onClick={() => transcribeKept({ provider: choice, what: 'again' })}>
        Transcribe again
      </button>
    </div>
  );
}

/** The versions of the transcript: which is shown, and deleting one. */
function Versions({ session }: { session: SessionMeta }) {
  const switchVersion = useDictation((s) => s.switchVersion);
  const removeVersion = useDictation((s) => s.removeVersion);
  const versions = versionsOf(session);
  if (versions.length < 2) return null;
  const shown = versionKey(session);
  const label = (v: (typeof versions)[number], i: number) =>
    `${i + 1}. ${v.label}, ${new Date(v.createdAt).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' })}`;
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
      <label className="flex items-center gap-1">
        Version
        <select
          value={shown}
          onChange={(e) => void switchVersion(e.currentTarget.value)}
          className="rounded-md border border-slate-300 bg-white px-1 py-1"
        >
          {versions.map((v, i) => (
            <option key={v.key} value={v.key}>
              {label(v, i)}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className={button}
        onClick={() => {
          if (window.confirm('Delete this version of the transcript? The others and the audio stay.')) void removeVersion(shown);
        }}
      >
        Delete this version
      </button>
    </div>
  );
}

/** Where the kept audio with no text yet begins, ms; null when there is none worth naming (under 1 s). */
export function untranscribedFrom(session: SessionMeta, lastEndMs: number, audioMs: number): number | null {
  if (session.untranscribedFromMs === undefined && !session.interrupted) return null;
  const from = Math.min(session.untranscribedFromMs ?? lastEndMs, lastEndMs);
  return audioMs - from >= 1000 ? from : null;
}

/**
 * The open session's kept audio: play/pause, back and forward, a position slider, speed, export as WAV
 * and delete (the words stay). The transcript highlights what is being played, and a click on a word or
 * sentence plays from there. Loaded when a session with audio is first opened.
 */
export function AudioPlayer() {
  const session = useDictation((s) => s.session);
  const lastEndMs = useDictation((s) => Math.max(0, ...s.segments.map((seg) => segmentEndMs(seg) ?? 0)));
  const transcribeKept = useDictation((s) => s.transcribeKept);
  const recording = useDictation((s) => s.run !== null);
  const audioSaved = useDictation((s) => s.audioSaved);
  const playback = usePlayback();
  const removeAudio = useHistory((s) => s.removeAudio);
  const element = useRef<HTMLAudioElement>(null);
  const sessionId = session?.id ?? null;
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);

  // The open session's audio, again each time a run's audio is all stored.
  useEffect(() => {
    if (!sessionId || recording) return;
    void usePlayback.getState().load(sessionId, audioSaved > 0);
  }, [sessionId, recording, audioSaved]);

  // Requests from the transcript (a click on a word) and the controls.
  const seekTo = playback.seekTo;
  useEffect(() => {
    const audio = element.current;
    if (!audio || !seekTo) return;
    audio.currentTime = seekTo.ms / 1000;
    if (seekTo.play) void audio.play().catch(() => undefined);
  }, [seekTo]);
  useEffect(() => {
    if (element.current) element.current.playbackRate = playback.rate;
  }, [playback.rate, playback.url]);

  // While playing, the position is reported often enough for the word highlight to keep up.
  const playing = playback.playing;
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => {
      const audio = element.current;
      if (audio) usePlayback.getState().report(audio.currentTime * 1000, !audio.paused);
    }, REPORT_MS);
    return () => clearInterval(timer);
  }, [playing]);

  if (!session || recording || playback.sessionId !== session.id || playback.state === 'idle' || playback.state === 'none') return null;
  const report = () => {
    const audio = element.current;
    if (audio) usePlayback.getState().report(audio.currentTime * 1000, !audio.paused && !audio.ended);
  };
  const toggle = () => {
    const audio = element.current;
    if (!audio) return;
    if (audio.paused) void audio.play().catch(() => undefined);
    else audio.pause();
  };
  const save = async (file: Blob, format: 'wav' | 'ogg') => {
    const { exportFileName } = await import('../transcript/export');
    download(file, exportFileName(session, format));
  };
  const exportWav = async () => {
    const wav = usePlayback.getState().wav();
    if (wav) await save(wav, 'wav');
  };
  const exportOgg = async () => {
    setExportError(null);
    setExporting(true);
    try {
      const ogg = await usePlayback.getState().ogg();
      if (ogg) await save(ogg, 'ogg');
    } catch (cause) {
      setExportError(`The Opus file could not be made: ${cause instanceof Error ? cause.message : String(cause)}`);
    } finally {
      setExporting(false);
    }
  };
  const position = Math.min(playback.positionMs, playback.durationMs);
  const noTextFrom = playback.state === 'ready' ? untranscribedFrom(session, lastEndMs, playback.durationMs) : null;
  const valueText = `${formatDuration(position)} of ${formatDuration(playback.durationMs)}`;
  return (
    <section aria-label="Playback" className="space-y-2 rounded-xl border border-slate-200 bg-white p-3">
      {playback.state === 'loading' && <p className="text-sm text-slate-600">Loading the audio…</p>}
      {playback.state === 'failed' && (
        <p role="alert" className="text-sm text-red-800">
          The audio of this session could not be played in this browser: {playback.error}
        </p>
      )}
      {playback.state === 'ready' && playback.url && (
        <>
          {/* The transcript beside it is this audio's text, marked in step as it plays. */}
          {/* eslint-disable-next-line jsx-a11y/media-has-caption */}
          <audio
            ref={element}
            src={playback.url}
            preload="auto"
            onTimeUpdate={report}
            onPlay={report}
            onPause={report}
            onEnded={report}
            onSeeked={report}
          />
          <div className="flex flex-wrap items-center gap-2">
            <button type="button" className={button} onClick={toggle}>
              {playback.playing ? 'Pause' : 'Play'}
            </button>
            <button type="button" className={button} onClick={() => playback.seek(position - SKIP_MS)}>
              Back 5 s
            </button>
            <button type="button" className={button} onClick={() => playback.seek(position + SKIP_MS)}>
              Forward 5 s
            </button>
            <input
              type="range"
              aria-label="Position"
              aria-valuetext={valueText}
              min={0}
              max={Math.max(1, Math.round(playback.durationMs))}
              step={100}
              value={Math.round(position)}
              onChange={(e) => playback.seek(Number(e.currentTarget.value))}
              className="min-w-32 flex-1 accent-indigo-600"
            />
            <span className="text-sm text-slate-700 tabular-nums" aria-hidden="true">
              {formatDuration(position)} / {formatDuration(playback.durationMs)}
            </span>
            <label className="flex items-center gap-1 text-sm text-slate-700">
              Speed
              <select
                value={playback.rate}
                onChange={(e) => playback.setRate(Number(e.currentTarget.value))}
                className="rounded-md border border-slate-300 bg-white px-1 py-1"
              >
                {PLAYBACK_RATES.map((r) => (
                  <option key={r} value={r}>
                    {r}×
                  </option>
                ))}
              </select>
            </label>
          </div>
          {noTextFrom !== null && (
            <p className="flex flex-wrap items-center gap-2 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">
              {formatDuration(playback.durationMs - noTextFrom)} of audio has no text yet.
              <button type="button" className={button} onClick={() => transcribeKept({ what: 'rest' })}>
                Transcribe it
              </button>
            </p>
          )}
          <Versions session={session} />
          <TranscribeAgain />
          <div className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
            <span>
              Audio kept: {formatDuration(playback.durationMs)}, {formatBytes(playback.bytes)} (
              {playback.codec === 'opus' ? 'Opus' : 'PCM16'})
            </span>
            <button type="button" className={button} onClick={() => void exportWav().catch(() => undefined)}>
              Export audio (WAV)
            </button>
            <button type="button" className={button} disabled={exporting} onClick={() => void exportOgg()}>
              Export audio (Opus)
            </button>
            <button
              type="button"
              className={button}
              onClick={() => {
                if (window.confirm('Delete the audio of this session? Its words stay.')) void removeAudio(session.id);
              }}
            >
              Delete audio
            </button>
          </div>
          {exportError && (
            <p role="alert" className="text-sm text-red-800">
              {exportError}
            </p>
          )}
        </>
      )}
    </section>
  );
}
