/** The user's words in Settings, the correction offer, and the rules applied to what a service sends. */
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { sessionSink, transcriptText, useDictation } from '../store/dictation';
import { settingsFile } from '../store/settings-file';
import { useWords } from '../store/words';
import { settle } from '../test/fakes';
import { resetStores } from '../test/stores';
import { CorrectionOffer } from './CorrectionOffer';
import { WordsSettings } from './WordsSettings';

beforeEach(resetStores);

const words = () => useWords.getState();

describe('the vocabulary editor', () => {
  it('adds and removes terms, and says what the chosen service receives', async () => {
    const user = userEvent.setup();
    render(<WordsSettings />);
    const add = screen.getByRole('form', { name: 'Add to the vocabulary' });
    await user.type(within(add).getByRole('textbox', { name: 'Word or phrase' }), 'Dashwood');
    await user.type(within(add).getByRole('textbox', { name: 'Sounds like (optional)' }), 'dash wood');
    await user.click(within(add).getByRole('button', { name: 'Add word' }));
    expect(within(screen.getByRole('list', { name: 'Vocabulary words' })).getByRole('listitem')).toHaveTextContent(
      'Dashwood (sounds like “dash wood”)',
    );
    // The default provider: the local engine through the VoiceRun protocol, which reads hints.
    const note = screen.getByRole('note', { name: 'What the service receives' });
    expect(note).toHaveTextContent('The local engine gets it in session.prompt');
    expect(note).toHaveTextContent('Sent: 1 of 1 term (Dashwood (dash wood)).');

    act(() => useDictation.getState().selectProvider('voicerun'));
    expect(note).toHaveTextContent('Sent in session.prompt');
    expect(note).toHaveTextContent('Sent: 1 of 1 term (Dashwood).');
    act(() => useDictation.getState().selectProvider('reson8'));
    expect(note).toHaveTextContent('Reson8 realtime documents no vocabulary or prompt, only custom_model_id');
    expect(note).not.toHaveTextContent('Sent:');

    await user.click(screen.getByRole('button', { name: 'Remove Dashwood' }));
    expect(screen.queryByRole('list', { name: 'Vocabulary words' })).not.toBeInTheDocument();
    expect(words().vocabulary).toEqual([]);
  });

  it('imports plain text (one per line) and JSON, saying what could not be read', async () => {
    const user = userEvent.setup();
    render(<WordsSettings />);
    const file = new File(['Dashwood (dash wood)\n# names\nNorland Park\n( )\n'], 'words.txt', { type: 'text/plain' });
    await user.upload(screen.getByLabelText('Import vocabulary'), file);
    expect(await screen.findByText('Imported 2 new terms; 1 could not be read.')).toHaveAttribute('role', 'status');
    const json = new File([JSON.stringify([{ text: 'Elinor', soundsLike: 'el in or' }, 'Norland Park', 42])], 'w.json');
    await user.upload(screen.getByLabelText('Import vocabulary'), json);
    expect(await screen.findByText('Imported 1 new term; 1 could not be read.')).toBeInTheDocument();
    expect(words().vocabulary).toEqual([
      { text: 'Dashwood', soundsLike: 'dash wood' },
      { text: 'Norland Park' },
      { text: 'Elinor', soundsLike: 'el in or' },
    ]);
  });

  it('shows what a service cannot take: Speechall’s URL budget', () => {
    useWords.setState({ vocabulary: Array.from({ length: 400 }, (_, i) => ({ text: `term number ${i}` })) });
    act(() => useDictation.getState().selectProvider('speechall'));
    render(<WordsSettings />);
    const note = screen.getByRole('note', { name: 'What the service receives' });
    expect(note).toHaveTextContent(/Sent: \d+ of 400 terms/);
    expect(note).toHaveTextContent(/Not sent: term number \d+, .*what did not fit in 6000 characters is left out\./);
  });
});

describe('the rule editor', () => {
  it('adds a rule, shows a sample before and after, and reports an invalid one without breaking the others', async () => {
    const user = userEvent.setup();
    render(<WordsSettings />);
    await user.click(screen.getByRole('button', { name: 'Add rule' }));
    await user.type(screen.getByRole('textbox', { name: 'Find (rule 1)' }), 'dash wood');
    await user.type(screen.getByRole('textbox', { name: 'Replace with (rule 1)' }), 'Dashwood');
    const sample = screen.getByRole('textbox', { name: 'Try the rules on' });
    expect(sample).toHaveValue('and mister john dash wood had then leisure');
    const after = screen.getByRole('status', { name: 'After the rules' });
    expect(after).toHaveTextContent(/^and mister john Dashwood had then leisure$/);

    await user.click(screen.getByRole('button', { name: 'Add rule' }));
    await user.type(screen.getByRole('textbox', { name: 'Find (rule 2)' }), '(john');
    await user.click(screen.getAllByRole('checkbox', { name: 'Regular expression' })[1]);
    expect(screen.getByRole('textbox', { name: 'Find (rule 2)' })).toHaveAccessibleDescription(
      /^Rule 2 is skipped: The regular expression is not valid: .*unterminated group/i,
    );
    expect(after).toHaveTextContent(/^and mister john Dashwood had then leisure$/);

    await user.click(screen.getByRole('button', { name: 'Move rule 2 up' }));
    expect(words().rules.map((r) => r.find)).toEqual(['(john', 'dash wood']);
    await user.click(screen.getByRole('button', { name: 'Remove rule 1' }));
    expect(words().rules.map((r) => r.find)).toEqual(['dash wood']);
  });

  it('rules and expansions apply to partials and finals as shown; the service’s words stay in raw', () => {
    useWords.setState({
      rules: [{ id: 'r', find: 'dash wood', replace: 'Dashwood' }],
      expansions: [{ id: 'e', phrase: 'insert signature', snippet: 'Best regards, Ada' }],
    });
    sessionSink.transcript({ type: 'partial', text: 'mister dash wood' });
    expect(useDictation.getState().partial).toBe('mister Dashwood');
    sessionSink.transcript({ type: 'final', text: 'mister dash wood insert signature' });
    const [segment] = useDictation.getState().segments;
    expect(segment).toMatchObject({ text: 'mister Dashwood Best regards, Ada', raw: 'mister dash wood insert signature' });
    expect(transcriptText(useDictation.getState().segments)).toBe('mister Dashwood Best regards, Ada');
  });
});

describe('corrections that stick', () => {
  function edited() {
    sessionSink.transcript({ type: 'final', text: 'and mister john dash wood had then' });
    const id = useDictation.getState().segments[0].id;
    act(() => useDictation.getState().editSegment(id, 'and mister john Dashwood had then'));
  }

  it('an edit that replaces words offers a rule; one click adds it and the word to the vocabulary', async () => {
    const user = userEvent.setup();
    render(<CorrectionOffer />);
    edited();
    const offer = await screen.findByRole('status');
    expect(offer).toHaveTextContent('Always write Dashwood for dash wood?');
    await user.click(within(offer).getByRole('button', { name: 'Always' }));
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    expect(words().rules).toMatchObject([{ find: 'dash wood', replace: 'Dashwood' }]);
    expect(words().vocabulary).toEqual([{ text: 'Dashwood' }]);
    // The next time the service writes it, the rule does.
    sessionSink.transcript({ type: 'final', text: 'miss dash wood' });
    expect(useDictation.getState().segments.at(-1)?.text).toBe('miss Dashwood');
  });

  it('dismissed for good, it is not offered again for the same words; offers can be turned off', async () => {
    const user = userEvent.setup();
    render(<CorrectionOffer />);
    edited();
    await user.click(within(await screen.findByRole('status')).getByRole('button', { name: 'Never for these words' }));
    useDictation.setState(useDictation.getInitialState(), true);
    edited();
    // The edit's check loads with it: wait until it has run.
    await act(() => settle());
    expect(words().dismissed).toEqual(['dash wood→dashwood']);
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    words().setOfferCorrections(false);
    act(() => words().proposeCorrection({ from: 'cat', to: 'dog' }));
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });
});

describe('the settings file', () => {
  it('exports the words and imports them in another browser; another file is refused with a clear message', async () => {
    useWords.setState({
      vocabulary: [{ text: 'Dashwood', soundsLike: 'dash wood' }],
      rules: [{ id: 'r1', find: 'dash wood', replace: 'Dashwood' }],
      expansions: [{ id: 'e1', phrase: 'insert signature', snippet: 'Ada' }],
    });
    const file = settingsFile();
    expect(file).not.toMatch(/key|token/i);
    resetStores();
    const user = userEvent.setup();
    render(<WordsSettings />);
    await user.upload(screen.getByLabelText('Import settings'), new File([file], 'dictate-settings.json'));
    expect(await screen.findByText('Imported 1 vocabulary terms, 1 rules and 1 expansions.')).toBeInTheDocument();
    expect(words().rules).toEqual([{ id: 'r1', find: 'dash wood', replace: 'Dashwood' }]);
    expect(screen.getByRole('textbox', { name: 'Snippet (expansion 1)' })).toHaveValue('Ada');
    await user.upload(screen.getByLabelText('Import settings'), new File(['{"a":1}'], 'other.json'));
    expect(await screen.findByRole('alert')).toHaveTextContent('This is not a Dictate settings file');
    expect(words().vocabulary).toHaveLength(1);
  });

  it('downloads as JSON', async () => {
    const created = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:settings');
    vi.spyOn(URL, 'revokeObjectURL').mockReturnValue(undefined);
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockReturnValue(undefined);
    const user = userEvent.setup();
    render(<WordsSettings />);
    await user.click(screen.getByRole('button', { name: 'Export settings' }));
    expect(click).toHaveBeenCalled();
    const blob = created.mock.calls[0][0] as Blob;
    expect(JSON.parse(await blob.text())).toMatchObject({ format: 'dictate-settings', version: 1, vocabulary: [] });
  });
});
