import { cloneElement, useId, type ReactElement } from 'react';
import type { AuthMethod } from '../protocol/adapter';
import { DEFAULT_SETTINGS } from '../session/settings';
import { useDictation } from '../store/dictation';

const AUTH_METHODS: { value: AuthMethod; label: string }[] = [
  { value: 'none', label: 'None (local engine)' },
  { value: 'query', label: 'Query parameter (api_key)' },
  { value: 'subprotocol', label: 'Sec-WebSocket-Protocol (bearer)' },
  { value: 'first-message', label: 'First message (auth)' },
];

const input =
  'mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-xs focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200 disabled:bg-slate-100';

/** A labelled control; the hint is its description, not part of its name. */
function Field({ label, hint, children }: { label: string; hint?: string; children: ReactElement<{ id?: string; 'aria-describedby'?: string }> }) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {cloneElement(children, { id, ...(hint ? { 'aria-describedby': hintId } : {}) })}
      {hint && (
        <p id={hintId} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      )}
    </div>
  );
}

/** Where to send audio and how. Changes apply to the next recording. */
export function SettingsForm() {
  const settings = useDictation((s) => s.settings);
  const update = useDictation((s) => s.updateSettings);
  const status = useDictation((s) => s.status);
  const busy = status !== 'idle' && status !== 'error';
  const local = settings.serverUrl.trim() === '';
  return (
    <details className="rounded-xl border border-slate-200 bg-white p-4 open:shadow-xs">
      <summary className="cursor-pointer text-sm font-semibold text-slate-700">
        Settings <span className="font-normal text-slate-500">— {local ? 'local engine on this server' : settings.serverUrl}</span>
      </summary>
      <form className="mt-4" onSubmit={(e) => e.preventDefault()} aria-label="Connection settings">
        <fieldset disabled={busy} className="grid gap-4 sm:grid-cols-2">
          <div className="sm:col-span-2">
            <Field label="Server URL" hint="Empty: the local PocketSphinx engine served with this page. Otherwise a wss:// endpoint speaking the VoiceRun Transcribe protocol.">
              <input
                className={input}
                type="text"
                inputMode="url"
                placeholder="Local engine (this server)"
                value={settings.serverUrl}
                onChange={(e) => update({ serverUrl: e.target.value })}
              />
            </Field>
          </div>
          <Field label="Auth method">
            <select className={input} value={settings.authMethod} onChange={(e) => update({ authMethod: e.target.value as AuthMethod })}>
              {AUTH_METHODS.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
          </Field>
          <Field label="API key" hint="Kept in this tab's memory only.">
            <input
              className={input}
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={settings.apiKey}
              disabled={settings.authMethod === 'none'}
              onChange={(e) => update({ apiKey: e.target.value })}
            />
          </Field>
          {settings.authMethod === 'query' && (
            <p className="text-xs text-amber-700 sm:col-span-2">
              A key in the URL can appear in server and proxy logs. Prefer a short-lived token.
            </p>
          )}
          <Field label="Provider">
            <input className={input} type="text" value={settings.provider} onChange={(e) => update({ provider: e.target.value })} />
          </Field>
          <Field label="Model">
            <input className={input} type="text" value={settings.model} onChange={(e) => update({ model: e.target.value })} />
          </Field>
          <Field label="Language" hint="BCP-47 code such as en, or multi to detect.">
            <input className={input} type="text" value={settings.language} onChange={(e) => update({ language: e.target.value })} />
          </Field>
          <Field label="Prompt" hint="Keywords or context for the recognizer (optional).">
            <input className={input} type="text" value={settings.prompt} onChange={(e) => update({ prompt: e.target.value })} />
          </Field>
          <div className="sm:col-span-2">
            <button
              type="button"
              className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50"
              onClick={() => update({ ...DEFAULT_SETTINGS })}
            >
              Use the local engine
            </button>
          </div>
        </fieldset>
      </form>
    </details>
  );
}
