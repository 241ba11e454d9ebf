import { useEffect, useRef } from 'react';
import { formatBytes, formatDuration } from '../transcript/model';
import { useDictation } from '../store/dictation';
import { useHistory } from '../store/history';
import { PLAYBACK_RATES, usePlayback } from '../store/playback';

/** How often the position is reported while playing, ms (the transcript's highlight follows it). */
const REPORT_MS = 100;
/** The back and forward buttons' step, ms. */
const SKIP_MS = 5000;

const button =
  'rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600';

/**
 * The open session's kept audio: play/pause, back and forward, a position slider, speed, export as WAV
 * and delete (the words stay). The transcript highlights what is being played, and a click on a word or
 * sentence plays from there. Loaded when a session with audio is first opened.
 */
export function AudioPlayer() {
  const session = useDictation((s) => s.session);
  const recording = useDictation((s) => s.run !== null);
  const audioSaved = useDictation((s) => s.audioSaved);
  const playback = usePlayback();
  const removeAudio = useHistory((s) => s.removeAudio);
  const element = useRef<HTMLAudioElement>(null);
  const sessionId = session?.id ?? null;

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
  const exportWav = async () => {
    const wav = usePlayback.getState().wav();
    if (!wav) return;
    const { exportFileName } = await import('../transcript/export');
    const url = URL.createObjectURL(wav);
    const a = document.createElement('a');
    a.href = url;
    a.download = exportFileName(session, 'wav');
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const position = Math.min(playback.positionMs, playback.durationMs);
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
            <button type="button" className={button} aria-label="Back 5 seconds" onClick={() => playback.seek(position - SKIP_MS)}>
              −5 s
            </button>
            <button type="button" className={button} aria-label="Forward 5 seconds" onClick={() => playback.seek(position + SKIP_MS)}>
              +5 s
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
          <div className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
            <span>
              Audio kept: {formatDuration(playback.durationMs)}, {formatBytes(playback.bytes)} (
              {playback.codec === 'opus' ? 'Opus' : 'PCM16'})
            </span>
            <button type="button" className={button} onClick={() => void exportWav().catch(() => undefined)}>
              Export audio (WAV)
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
        </>
      )}
    </section>
  );
}
