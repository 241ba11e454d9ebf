/**
 * Spoken commands: "period", "comma", "question mark", "new line" and "new paragraph" said while dictating
 * become the punctuation or line break they name. For engines that write what they hear without
 * punctuation (the local PocketSphinx engine); the raw words are kept beside the result.
 */

/** Each command as the words a recogniser writes for it, and what it becomes. */
const COMMANDS: readonly { readonly words: readonly string[]; readonly text: string; readonly kind: 'mark' | 'break' }[] = [
  { words: ['new', 'paragraph'], text: '\n\n', kind: 'break' },
  { words: ['new', 'line'], text: '\n', kind: 'break' },
  { words: ['question', 'mark'], text: '?', kind: 'mark' },
  { words: ['full', 'stop'], text: '.', kind: 'mark' },
  { words: ['period'], text: '.', kind: 'mark' },
  { words: ['comma'], text: ',', kind: 'mark' },
];

/** Lower case, without punctuation a service may attach ("Period." → "period"). */
const bare = (word: string) => word.toLowerCase().replace(/[^\p{L}\p{N}']/gu, '');

const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/**
 * Applies spoken commands to one final utterance.
 * @param text - the utterance as the service wrote it
 * @returns the text with the commands turned into punctuation and line breaks; marks attach to the word
 *   before them, and the word after a sentence end or a line break starts with a capital. Unchanged when
 *   it holds no command.
 */
export function applySpokenCommands(text: string): string {
  const words = text.split(/\s+/).filter(Boolean);
  let out = '';
  let capitalNext = false;
  let changed = false;
  for (let i = 0; i < words.length;) {
    const command = COMMANDS.find((c) => c.words.every((w, k) => bare(words[i + k] ?? '') === w));
    if (command) {
      changed = true;
      i += command.words.length;
      if (command.kind === 'mark') {
        out = out.replace(/[ \n]+$/, (tail) => (tail.includes('\n') ? tail : '')) + command.text;
        capitalNext = command.text === '.' || command.text === '?';
      } else {
        out = out.replace(/ +$/, '') + command.text;
        capitalNext = true;
      }
      continue;
    }
    const word = capitalNext ? capitalise(words[i]) : words[i];
    capitalNext = false;
    out += out === '' || out.endsWith('\n') ? word : ' ' + word;
    i += 1;
  }
  return changed ? out : text;
}
