import { useId, useMemo, useState, type ReactNode } from 'react';
import { readVocabulary, vocabularyText, writeTerm } from '../core/vocabulary';
import { currentEntry } from '../protocol/settings';
import { servicePlan, VOCABULARY_SUPPORT } from '../protocol/vocabulary';
import { applySettingsFile, settingsFile } from '../store/settings-file';
import { useDictation } from '../store/dictation';
import { newId, useWords } from '../store/words';
import { download } from './download';
import { compileRules, type ReplacementRule, type TextExpansion } from '../transcript/rules';

const input =
  'block w-full rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-xs focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200 aria-invalid:border-red-600';
const button =
  'rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600';

/** A file input behind a button-like label; `onText` gets the file's text. */
function FileButton({ label, accept, onText }: { label: string; accept: string; onText: (text: string) => void }) {
  const id = useId();
  return (
    <>
      <label htmlFor={id} className={`${button} cursor-pointer`}>
        {label}
      </label>
      <input
        id={id}
        type="file"
        accept={accept}
        className="sr-only"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (file) void file.text().then(onText);
        }}
      />
    </>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="mt-6 space-y-3 border-t border-slate-200 pt-4">
      <h3 id={id} className="text-sm font-semibold text-slate-800">
        {title}
      </h3>
      {children}
    </section>
  );
}

/** The vocabulary: add, remove, import, export, and what the current service receives. */
function Vocabulary() {
  const vocabulary = useWords((s) => s.vocabulary);
  const settings = useDictation((s) => s.settings);
  const { addTerm, removeTerm, addTerms } = useWords.getState();
  const [text, setText] = useState('');
  const [soundsLike, setSoundsLike] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const entry = currentEntry(settings);
  const plan = servicePlan(entry.service.id, vocabulary, entry.local);
  const support = VOCABULARY_SUPPORT[entry.service.id];
  const name = `${entry.label}${entry.dialect ? ` (${entry.dialect})` : ''}`;
  return (
    <Section title="Vocabulary">
      <p className="text-xs text-slate-600">
        Names and terms you want heard, sent on every connection to the service through its own mechanism. A "sounds like" hint helps the
        local engine with words it does not know.
      </p>
      <form
        aria-label="Add to the vocabulary"
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (addTerm(text, soundsLike)) {
            setMessage(`Added ${text.trim()}.`);
            setText('');
            setSoundsLike('');
          } else setMessage('Write a word or phrase first.');
        }}
      >
        <label className="text-sm text-slate-700">
          Word or phrase
          <input className={input} value={text} maxLength={100} onChange={(e) => setText(e.target.value)} />
        </label>
        <label className="text-sm text-slate-700">
          Sounds like (optional)
          <input className={input} value={soundsLike} maxLength={100} onChange={(e) => setSoundsLike(e.target.value)} />
        </label>
        <button type="submit" className={button}>
          Add word
        </button>
      </form>
      {vocabulary.length > 0 ? (
        <ul aria-label="Vocabulary words" className="flex flex-wrap gap-2">
          {vocabulary.map((t) => (
            <li key={t.text} className="flex items-center gap-1 rounded-full bg-slate-100 px-3 py-1 text-sm text-slate-800">
              <span>
                {t.text}
                {t.soundsLike && <span className="text-slate-600"> (sounds like “{t.soundsLike}”)</span>}
              </span>
              <button
                type="button"
                className="rounded-full px-1 text-slate-600 hover:bg-slate-200"
                aria-label={`Remove ${t.text}`}
                onClick={() => removeTerm(t.text)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600">No words yet.</p>
      )}
      <div className="flex flex-wrap items-center gap-2">
        <FileButton
          label="Import vocabulary"
          accept=".txt,.json,text/plain,application/json"
          onText={(content) => {
            const { terms, skipped } = readVocabulary(content);
            const added = addTerms(terms);
            setMessage(`Imported ${added} new ${added === 1 ? 'term' : 'terms'}${skipped ? `; ${skipped} could not be read` : ''}.`);
          }}
        />
        <button
          type="button"
          className={button}
          disabled={!vocabulary.length}
          onClick={() => download(vocabularyText(vocabulary), 'dictate-vocabulary.txt', 'text/plain')}
        >
          Export as text
        </button>
        <button
          type="button"
          className={button}
          disabled={!vocabulary.length}
          onClick={() => download(`${JSON.stringify(vocabulary, null, 2)}\n`, 'dictate-vocabulary.json', 'application/json')}
        >
          Export as JSON
        </button>
      </div>
      {message && (
        <p role="status" className="text-sm text-slate-700">
          {message}
        </p>
      )}
      <div role="note" aria-label="What the service receives" className="rounded-lg bg-slate-50 px-3 py-2 text-sm text-slate-700">
        <p>
          <strong>{name}:</strong> {entry.local ? localNote(support?.field ?? null) : support?.note}
        </p>
        {vocabulary.length > 0 && support?.field && (
          <p className="mt-1">
            Sent: {plan.sent.length} of {vocabulary.length} {vocabulary.length === 1 ? 'term' : 'terms'}
            {plan.sent.length > 0 && ` (${plan.sent.slice(0, 5).join(', ')}${plan.sent.length > 5 ? ', …' : ''})`}.
          </p>
        )}
        {plan.cut.length > 0 && support?.field && (
          <p className="mt-1 text-amber-900">
            Not sent: {plan.cut.map(writeTerm).join(', ')}. {plan.reason}
          </p>
        )}
      </div>
    </Section>
  );
}

function localNote(field: string | null): string {
  return field
    ? `The local engine gets it in ${field}, as this protocol carries it: words PocketSphinx knows become more likely, and words it does not know are added with their "sounds like" hint (or a pronunciation guessed from the spelling).`
    : 'This protocol has no way to send a vocabulary (Reson8 documents only custom_model_id): choose the VoiceRun or Speechall protocol for the local engine to hear it.';
}

/** "Find → replace" rules, in order, with a test box. */
function Rules() {
  const rules = useWords((s) => s.rules);
  const setRules = useWords((s) => s.setRules);
  const [sample, setSample] = useState('and mister john dash wood had then leisure');
  const compiled = useMemo(() => compileRules(rules), [rules]);
  const problems = new Map(compiled.problems.map((p) => [p.id, p.message]));
  const update = (id: string, patch: Partial<ReplacementRule>) => setRules(rules.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  const move = (i: number, by: number) => {
    const next = [...rules];
    const [rule] = next.splice(i, 1);
    next.splice(i + by, 0, rule);
    setRules(next);
  };
  return (
    <Section title="Replacement rules">
      <p className="text-xs text-slate-600">
        Applied in order to what Dictate shows, copies and exports; whole words, any case (the case found is kept), unless you ask
        otherwise. The service’s own words are kept beside them.
      </p>
      {rules.length > 0 && (
        <ol aria-label="Rules" className="space-y-2">
          {rules.map((r, i) => {
            const problem = problems.get(r.id);
            const n = i + 1;
            return (
              <li key={r.id} className="rounded-lg border border-slate-200 p-2">
                <div className="flex flex-wrap items-end gap-2">
                  <label className="text-sm text-slate-700">
                    Find (rule {n})
                    <input
                      className={input}
                      value={r.find}
                      aria-invalid={problem ? true : undefined}
                      aria-describedby={problem ? `${r.id}-problem` : undefined}
                      onChange={(e) => update(r.id, { find: e.target.value })}
                    />
                  </label>
                  <label className="text-sm text-slate-700">
                    Replace with (rule {n})
                    <input className={input} value={r.replace} onChange={(e) => update(r.id, { replace: e.target.value })} />
                  </label>
                  <label className="flex items-center gap-1 text-sm text-slate-700">
                    <input type="checkbox" checked={r.regex === true} onChange={(e) => update(r.id, { regex: e.target.checked })} />
                    Regular expression
                  </label>
                  <label className="flex items-center gap-1 text-sm text-slate-700">
                    <input
                      type="checkbox"
                      checked={r.caseSensitive === true}
                      onChange={(e) => update(r.id, { caseSensitive: e.target.checked })}
                    />
                    Match case
                  </label>
                  <label className="flex items-center gap-1 text-sm text-slate-700">
                    <input type="checkbox" checked={r.enabled !== false} onChange={(e) => update(r.id, { enabled: e.target.checked })} />
                    On
                  </label>
                  <button type="button" className={button} disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move rule ${n} up`}>
                    ↑
                  </button>
                  <button
                    type="button"
                    className={button}
                    disabled={i === rules.length - 1}
                    onClick={() => move(i, 1)}
                    aria-label={`Move rule ${n} down`}
                  >
                    ↓
                  </button>
                  <button type="button" className={button} onClick={() => setRules(rules.filter((x) => x.id !== r.id))}>
                    Remove rule {n}
                  </button>
                </div>
                {problem && (
                  <p id={`${r.id}-problem`} className="mt-1 text-sm text-red-800">
                    Rule {n} is skipped: {problem}
                  </p>
                )}
              </li>
            );
          })}
        </ol>
      )}
      <button type="button" className={button} onClick={() => setRules([...rules, { id: newId('rule'), find: '', replace: '' }])}>
        Add rule
      </button>
      <div className="space-y-1">
        <label className="block text-sm text-slate-700">
          Try the rules on
          <input className={`${input} mt-1`} value={sample} onChange={(e) => setSample(e.target.value)} />
        </label>
        <p className="text-sm text-slate-700" aria-live="polite">
          After the rules:{' '}
          <output aria-label="After the rules" className="font-medium text-slate-900">
            {compiled.apply(sample)}
          </output>
        </p>
      </div>
    </Section>
  );
}

/** Spoken phrases that insert a snippet. */
function Expansions() {
  const expansions = useWords((s) => s.expansions);
  const setExpansions = useWords((s) => s.setExpansions);
  const update = (id: string, patch: Partial<TextExpansion>) =>
    setExpansions(expansions.map((e) => (e.id === id ? { ...e, ...patch } : e)));
  return (
    <Section title="Text expansions">
      <p className="text-xs text-slate-600">
        Say the phrase and its snippet is written instead, beside the built-in spoken punctuation (“new line”, “comma”…).
      </p>
      {expansions.length > 0 && (
        <ol aria-label="Expansions" className="space-y-2">
          {expansions.map((e, i) => (
            <li key={e.id} className="flex flex-wrap items-end gap-2 rounded-lg border border-slate-200 p-2">
              <label className="text-sm text-slate-700">
                Spoken phrase (expansion {i + 1})
                <input className={input} value={e.phrase} onChange={(ev) => update(e.id, { phrase: ev.target.value })} />
              </label>
              <label className="min-w-64 flex-1 text-sm text-slate-700">
                Snippet (expansion {i + 1})
                <textarea className={input} rows={2} value={e.snippet} onChange={(ev) => update(e.id, { snippet: ev.target.value })} />
              </label>
              <button type="button" className={button} onClick={() => setExpansions(expansions.filter((x) => x.id !== e.id))}>
                Remove expansion {i + 1}
              </button>
            </li>
          ))}
        </ol>
      )}
      <button
        type="button"
        className={button}
        onClick={() => setExpansions([...expansions, { id: newId('exp'), phrase: '', snippet: '' }])}
      >
        Add expansion
      </button>
    </Section>
  );
}

/** The settings file: words and preferences to another browser. */
function SettingsFile() {
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const offerCorrections = useWords((s) => s.offerCorrections);
  const setOfferCorrections = useWords((s) => s.setOfferCorrections);
  return (
    <Section title="Settings file">
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" checked={offerCorrections} onChange={(e) => setOfferCorrections(e.target.checked)} />
        Offer a rule when I correct a word
      </label>
      <p className="text-xs text-slate-600">
        Your vocabulary, rules, expansions and preferences in one JSON file, to move them to another browser. Keys are never in it.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className={button} onClick={() => download(settingsFile(), 'dictate-settings.json', 'application/json')}>
          Export settings
        </button>
        <FileButton
          label="Import settings"
          accept=".json,application/json"
          onText={(text) => {
            try {
              const got = applySettingsFile(text);
              setMessage({
                text: `Imported ${got.vocabulary} vocabulary terms, ${got.rules} rules and ${got.expansions} expansions.`,
                error: false,
              });
            } catch (cause) {
              setMessage({ text: cause instanceof Error ? cause.message : String(cause), error: true });
            }
          }}
        />
      </div>
      {message && (
        <p role={message.error ? 'alert' : 'status'} className={`text-sm ${message.error ? 'text-red-800' : 'text-slate-700'}`}>
          {message.text}
        </p>
      )}
    </Section>
  );
}

/** Settings for the user's words: vocabulary, replacement rules, expansions, and the settings file. */
export function WordsSettings() {
  return (
    <div aria-label="Your words" role="group">
      <Vocabulary />
      <Rules />
      <Expansions />
      <SettingsFile />
    </div>
  );
}
