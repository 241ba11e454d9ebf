import { cloneElement, useEffect, useId, useRef, type ReactElement } from 'react';
import type { AuthMethod } from '../protocol/adapter';
import { fieldsOf } from '../protocol/fields';
import { DEFAULT_PROVIDER_ID, LOCAL_ENGINE_LABEL, PROVIDERS } from '../protocol/registry';
import type { OptionField, OptionValue } from '../protocol/service';
import { currentEntry, profileOf, type Settings } from '../protocol/settings';
import { useCredentials } from '../store/credentials';
import { useDictation } from '../store/dictation';
import { usePreferences, type KeepAudio } from '../store/preferences';
import { isActive } from '../core/status';
import { WordsSettings } from './WordsSettings';

const AUTH_LABELS: Record<AuthMethod, string> = {
  none: 'None',
  query: 'Query parameter (api_key)',
  subprotocol: 'Sec-WebSocket-Protocol (bearer)',
  'first-message': 'First message (auth)',
};

const input =
  'mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-xs focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200 disabled:bg-slate-100';

/** A labelled control; the hint is its description, not part of its name. */
function Field({
  label,
  hint,
  children,
}: {
  label: string;
  hint?: string;
  children: ReactElement<{ id?: string; 'aria-describedby'?: string }>;
}) {
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

/** A checkbox with its label beside it. */
function Check({
  label,
  hint,
  checked,
  onChange,
}: {
  label: string;
  hint?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const id = useId();
  return (
    <div className="flex items-start gap-2">
      <input
        id={id}
        type="checkbox"
        className="mt-0.5 h-4 w-4 rounded border-slate-300 text-indigo-600"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <div>
        <label htmlFor={id} className="text-sm font-medium text-slate-700">
          {label}
        </label>
        {hint && (
          <p id={`${id}-hint`} className="text-xs text-slate-500">
            {hint}
          </p>
        )}
      </div>
    </div>
  );
}

/** One service option, rendered from its field description. */
function OptionControl({
  field,
  value,
  onChange,
}: {
  field: OptionField;
  value: OptionValue | undefined;
  onChange: (value: OptionValue) => void;
}) {
  const listId = useId();
  switch (field.kind) {
    case 'checkbox':
      return <Check label={field.label} hint={field.hint} checked={value === true} onChange={onChange} />;
    case 'select': {
      const groups = [...new Set(field.choices.map((c) => c.group))];
      const options = (group: string | undefined) =>
        field.choices
          .filter((c) => c.group === group)
          .map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ));
      return (
        <Field label={field.label} hint={field.hint}>
          <select className={input} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)}>
            {groups.map((g) =>
              g === undefined ? (
                options(undefined)
              ) : (
                <optgroup key={g} label={g}>
                  {options(g)}
                </optgroup>
              ),
            )}
          </select>
        </Field>
      );
    }
    case 'text':
      return (
        <div>
          <Field label={field.label} hint={field.hint}>
            <input
              className={input}
              type="text"
              spellCheck={false}
              placeholder={field.placeholder}
              list={field.suggestions ? listId : undefined}
              value={String(value ?? '')}
              onChange={(e) => onChange(e.target.value)}
            />
          </Field>
          {field.suggestions && (
            <datalist id={listId}>
              {field.suggestions.map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
          )}
        </div>
      );
  }
}

/**
 * The key or token for the chosen provider, and whether this device keeps it. The input is not
 * controlled: React would mirror a controlled value into the `value` attribute, and the key would
 * then be in the page's HTML. Only the DOM property holds it.
 */
function KeyField({ provider, label }: { provider: string; label: string }) {
  const key = useCredentials((s) => s.keys[provider] ?? '');
  const remember = useCredentials((s) => s.remember[provider] ?? false);
  const setKey = useCredentials((s) => s.setKey);
  const setRemember = useCredentials((s) => s.setRemember);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.value !== key) ref.current.value = key;
  }, [key]);
  return (
    <>
      <Field label={label} hint={remember ? 'Saved in this browser on this device.' : 'Kept in this tab only: gone when you close it.'}>
        <input
          ref={ref}
          className={input}
          type="password"
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setKey(provider, e.target.value)}
        />
      </Field>
      <div className="self-end pb-2">
        <Check label="Remember key on this device" checked={remember} onChange={(checked) => setRemember(provider, checked)} />
      </div>
    </>
  );
}

/** The Provider picker's value for the local engine (whichever protocol it speaks). */
const LOCAL = 'local';

/** The local entry to pick when the local engine is chosen: the one last set up, else the default. */
function lastLocal(settings: Settings): string {
  return PROVIDERS.find((p) => p.local && settings.profiles[p.id])?.id ?? DEFAULT_PROVIDER_ID;
}

/** Which service to use and how. Changes apply to the next recording, and are kept per provider. */
export function SettingsFields() {
  const settings = useDictation((s) => s.settings);
  const selectProvider = useDictation((s) => s.selectProvider);
  const updateProfile = useDictation((s) => s.updateProfile);
  const resetProfile = useDictation((s) => s.resetProfile);
  const status = useDictation((s) => s.status);
  const busy = isActive(status);
  const entry = currentEntry(settings);
  const profile = profileOf(settings, entry);
  const { service } = entry;
  const localUrlHint = `Empty: this page's server, at ${service.localPath}.`;
  const fields = fieldsOf(service.id, entry.local);
  const resetHintId = useId();
  return (
    <>
      <form className="mt-4" onSubmit={(e) => e.preventDefault()} aria-label="Connection settings">
        <fieldset disabled={busy} className="grid gap-4 sm:grid-cols-2">
          <div className="sm:col-span-2">
            <Field label="Provider" hint={entry.summary}>
              <select
                className={input}
                value={entry.local ? LOCAL : entry.id}
                onChange={(e) => selectProvider(e.target.value === LOCAL ? lastLocal(settings) : e.target.value)}
              >
                <option value={LOCAL}>{LOCAL_ENGINE_LABEL}</option>
                <optgroup label="Cloud services">
                  {PROVIDERS.filter((p) => !p.local).map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.label}
                    </option>
                  ))}
                </optgroup>
              </select>
            </Field>
          </div>
          {entry.local && (
            <details className="sm:col-span-2" open={entry.id !== DEFAULT_PROVIDER_ID}>
              <summary className="cursor-pointer text-sm font-medium text-slate-700">Advanced: protocol</summary>
              <div className="mt-2">
                <Field
                  label="Protocol"
                  hint="The local engine speaks each cloud service's protocol, so the same client path can be tried offline. Reson8 adds word times and confidences; Speechall sends one result per utterance."
                >
                  <select className={input} value={entry.id} onChange={(e) => selectProvider(e.target.value)}>
                    {PROVIDERS.filter((p) => p.local).map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.dialect}
                      </option>
                    ))}
                  </select>
                </Field>
              </div>
            </details>
          )}
          <div className="sm:col-span-2">
            <Field label="Endpoint URL" hint={entry.local ? localUrlHint : `A wss:// endpoint speaking the ${service.product} protocol.`}>
              <input
                className={input}
                type="text"
                inputMode="url"
                spellCheck={false}
                placeholder={entry.local ? `This server (${service.localPath})` : service.cloudUrl}
                value={profile.url}
                onChange={(e) => updateProfile({ url: e.target.value })}
              />
            </Field>
          </div>
          {entry.authMethods.length > 1 && (
            <Field label="Auth method">
              <select className={input} value={profile.auth} onChange={(e) => updateProfile({ auth: e.target.value as AuthMethod })}>
                {entry.authMethods.map((m) => (
                  <option key={m} value={m}>
                    {AUTH_LABELS[m]}
                  </option>
                ))}
              </select>
            </Field>
          )}
          {profile.auth !== 'none' && <KeyField key={entry.id} provider={entry.id} label={service.keyLabel} />}
          {profile.auth !== 'none' && (
            <div className="sm:col-span-2">
              <Field
                label="Token URL"
                hint="Optional: your own backend's address that answers a short-lived token ({token}). Fetched before each connection, instead of the key above."
              >
                <input
                  className={input}
                  type="text"
                  inputMode="url"
                  spellCheck={false}
                  placeholder="https://your-backend.example/dictate-token"
                  value={profile.tokenUrl ?? ''}
                  onChange={(e) => updateProfile({ tokenUrl: e.target.value })}
                />
              </Field>
            </div>
          )}
          {profile.auth === 'query' && (
            <p className="text-xs text-amber-700 sm:col-span-2" role="note">
              A key in the URL can appear in server and proxy logs. Prefer a short-lived token.
            </p>
          )}
          {fields.map((field) => (
            <OptionControl
              key={`${entry.id}:${field.key}`}
              field={field}
              value={profile.options[field.key]}
              onChange={(value) => updateProfile({ options: { [field.key]: value } })}
            />
          ))}
          <Check
            label="Spoken punctuation"
            hint={
              entry.local
                ? 'Say “period”, “comma”, “question mark”, “new line” or “new paragraph” to write them: this engine writes no punctuation of its own.'
                : 'Say “period”, “comma”, “question mark”, “new line” or “new paragraph” to write them. Off by default: this service punctuates by itself.'
            }
            checked={profile.spokenCommands ?? entry.local}
            onChange={(spokenCommands) => updateProfile({ spokenCommands })}
          />
          <div className="sm:col-span-2">
            <button
              type="button"
              className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50"
              onClick={resetProfile}
              aria-describedby={resetHintId}
            >
              Restore defaults
            </button>
            <span id={resetHintId} className="ml-2 text-xs text-slate-500">
              for {entry.label} only; its key is kept.
            </span>
          </div>
        </fieldset>
      </form>
      <AudioSettings />
      <WordsSettings />
    </>
  );
}

/** How long each session's audio is kept, how, and what goes when storage is full. */
function AudioSettings() {
  const keepAudio = usePreferences((s) => s.keepAudio);
  const lossless = usePreferences((s) => s.losslessAudio);
  const freeOld = usePreferences((s) => s.freeOldAudio);
  const { setKeepAudio, setLosslessAudio, setFreeOldAudio } = usePreferences.getState();
  return (
    <form className="mt-6 border-t border-slate-200 pt-4" onSubmit={(e) => e.preventDefault()} aria-label="Audio settings">
      <fieldset className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Keep audio"
          hint="Each session's audio is kept in this browser beside its words, to play back, export or transcribe again."
        >
          <select className={input} value={keepAudio} onChange={(e) => setKeepAudio(e.target.value as KeepAudio)}>
            <option value="always">Always</option>
            <option value="30-days">For 30 days</option>
            <option value="never">Never</option>
          </select>
        </Field>
        <Check
          label="Lossless audio"
          hint="Keep the exact samples the service heard (PCM16, about 115 MB per hour) instead of Opus (about 11 MB per hour)."
          checked={lossless}
          onChange={setLosslessAudio}
        />
        <Check
          label="Make room by deleting old audio"
          hint="When storage is nearly full, delete the oldest sessions' audio before recording. Their words are never deleted."
          checked={freeOld}
          onChange={setFreeOldAudio}
        />
      </fieldset>
    </form>
  );
}
