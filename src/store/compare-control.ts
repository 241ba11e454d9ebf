/**
 * Where the page attaches the comparison's controller: a module of its own, so that the page's first
 * load holds only this and the comparison store loads with its view.
 */
import type { ComparisonControl } from '../session/compare';

let attached: ComparisonControl | null = null;

/** Connects comparisons to their controller (the app's, or a test's with fakes). */
export function attachComparison(control: ComparisonControl | null): void {
  attached = control;
}

/** The controller attached, if any. */
export function attachedComparison(): ComparisonControl | null {
  return attached;
}
