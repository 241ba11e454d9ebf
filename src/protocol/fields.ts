/**
 * Each service's options as Settings offers them, by service id. Kept apart from the service definitions
 * so that model lists and hints load with the Settings form, not with the page.
 */
import { reson8Fields } from './reson8-fields';
import type { OptionField } from './service';
import { speechallFields } from './speechall-fields';
import { voiceRunFields } from './voicerun-fields';

const FIELDS: Readonly<Record<string, (local: boolean) => readonly OptionField[]>> = {
  voicerun: voiceRunFields,
  reson8: reson8Fields,
  speechall: speechallFields,
};

/** The options to offer for a service (`local`: the local engine's entry, with its own models). */
export function fieldsOf(serviceId: string, local: boolean): readonly OptionField[] {
  return FIELDS[serviceId]?.(local) ?? [];
}
