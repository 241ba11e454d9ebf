/** What each adapter sends of the user's vocabulary (docs/protocols.md, "Vocabulary"). */
import { describe, expect, it } from 'vitest';
import type { VocabularyTerm } from '../core/vocabulary';
import { reson8Service } from './reson8-service';
import type { ConnectionSettings, VocabularyRequest } from './service';
import { speechallService } from './speechall-service';
import { MAX_SENT_TERMS, planVocabulary, servicePlan, SPEECHALL_BUDGET, VOCABULARY_SUPPORT } from './vocabulary';
import { voiceRunService } from './voicerun-service';

const terms: VocabularyTerm[] = [{ text: 'Dashwood', soundsLike: 'dash wood' }, { text: 'Norland Park' }];
const cloud: VocabularyRequest = { terms, local: false };
const local: VocabularyRequest = { terms, local: true };
const connection = (url: string): ConnectionSettings => ({ url, auth: 'query', key: 'k' });

/** The session.update a VoiceRun protocol answers session.created with. */
async function voiceRunUpdate(options: Record<string, string>, vocabulary: VocabularyRequest) {
  const p = (await voiceRunService.load())(
    { ...connection('wss://api.voicerun.test/ws'), auth: 'first-message' },
    { ...voiceRunService.defaults(false), ...options },
    vocabulary,
  );
  p.open();
  const step = p.receive('{"type":"session.created","session":{"id":"ts_1"}}');
  const update = step.send.find((m) => typeof m === 'string' && m.includes('session.update'));
  return JSON.parse(update as string) as { session: Record<string, unknown> };
}

describe('VoiceRun: session.prompt', () => {
  it('the terms, comma-separated after the user’s own prompt; hints only to the local engine', async () => {
    expect((await voiceRunUpdate({ prompt: 'insurance' }, cloud)).session.prompt).toBe('insurance, Dashwood, Norland Park');
    expect((await voiceRunUpdate({ prompt: '' }, local)).session.prompt).toBe('Dashwood (dash wood), Norland Park');
    expect((await voiceRunUpdate({ prompt: '' }, { terms: [], local: false })).session).not.toHaveProperty('prompt');
  });
});

describe('Speechall: custom_vocabulary', () => {
  it('one parameter per term beside its own field’s words; OpenAI models also get initial_prompt', async () => {
    const create = await speechallService.load();
    const url = (model: string, vocabulary: VocabularyRequest, own = 'Elinor, dashwood') =>
      new URL(
        create(
          connection('wss://api.speechall.test/v1/transcribe'),
          { ...speechallService.defaults(false), model, customVocabulary: own },
          vocabulary,
        ).connection().url,
      ).searchParams;
    const deepgram = url('deepgram.nova-2', cloud);
    expect(deepgram.getAll('custom_vocabulary')).toEqual(['Elinor', 'dashwood', 'Norland Park']);
    expect(deepgram.get('initial_prompt')).toBeNull();
    expect(url('openai.whisper-1', cloud, '').get('initial_prompt')).toBe('Dashwood, Norland Park');
    expect(url('local.pocketsphinx-en-us', local, '').getAll('custom_vocabulary')).toEqual(['Dashwood (dash wood)', 'Norland Park']);
  });

  it('what does not fit in the URL budget is cut, and the plan says so', () => {
    const many = Array.from({ length: 400 }, (_, i) => ({ text: `term number ${i}` }));
    const plan = servicePlan('speechall', many, false);
    expect(plan.sent.length).toBeLessThan(400);
    expect(plan.sent.reduce((n, w) => n + SPEECHALL_BUDGET.cost(w), 0)).toBeLessThanOrEqual(SPEECHALL_BUDGET.chars);
    expect(plan.cut).toHaveLength(400 - plan.sent.length);
    expect(plan.reason).toMatch(/connection URL/);
  });
});

describe('Reson8: nothing', () => {
  it('its realtime API documents only custom_model_id: no term is sent, and the plan says why', async () => {
    const p = (await reson8Service.load())(
      { ...connection('wss://api.reson8.test/v1/speech-to-text/realtime'), auth: 'subprotocol' },
      reson8Service.defaults(false),
      cloud,
    );
    expect(p.connection().url).not.toMatch(/Dashwood|vocabulary|prompt/i);
    expect(VOCABULARY_SUPPORT.reson8.note).toMatch(/only custom_model_id/);
    expect(servicePlan('reson8', terms, false)).toMatchObject({
      sent: [],
      cut: terms,
      reason: expect.stringMatching(/no way to send a vocabulary/),
    });
  });
});

describe('limits', () => {
  it('at most 500 terms on one connection', () => {
    const plan = planVocabulary(
      Array.from({ length: MAX_SENT_TERMS + 3 }, (_, i) => ({ text: `w${i}` })),
      false,
    );
    expect(plan.sent).toHaveLength(MAX_SENT_TERMS);
    expect(plan.cut.map((t) => t.text)).toEqual(['w500', 'w501', 'w502']);
    expect(plan.reason).toBe('Dictate sends at most 500 terms.');
  });
});
