import { describe, expect, it } from 'vitest';
import { applySpokenCommands } from './commands';

describe('spoken commands', () => {
  it('turns marks into punctuation on the word before, and starts a sentence with a capital', () => {
    expect(applySpokenCommands('hello comma world period how are you question mark')).toBe('hello, world. How are you?');
  });

  it('turns new line and new paragraph into line breaks', () => {
    expect(applySpokenCommands('dear sam new paragraph thanks for the letter new line bye')).toBe('dear sam\n\nThanks for the letter\nBye');
  });

  it('reads commands a service wrote with capitals or punctuation', () => {
    expect(applySpokenCommands('Stop here Period.')).toBe('Stop here.');
  });

  it('leaves text without commands exactly as it was', () => {
    expect(applySpokenCommands('  the periodic  table? no, commas')).toBe('  the periodic  table? no, commas');
    expect(applySpokenCommands('the new lines')).toBe('the new lines');
  });

  it('keeps an utterance that is only a command', () => {
    expect(applySpokenCommands('new paragraph')).toBe('\n\n');
    expect(applySpokenCommands('period')).toBe('.');
  });
});
