import { Component, type ErrorInfo, type ReactNode } from 'react';

/**
 * Shows a sentence and a way out instead of a blank page if rendering ever fails. With `part`, it
 * guards one part loaded on first use (History, Settings…): only that part is replaced, and dictation
 * goes on around it.
 */
export class ErrorBoundary extends Component<{ children: ReactNode; part?: string }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('Dictate failed to render', error, info.componentStack);
  }

  render() {
    if (!this.state.failed) return this.props.children;
    if (this.props.part)
      return (
        <p role="alert" className="rounded-lg bg-rose-50 p-3 text-sm text-rose-900">
          {this.props.part} could not be loaded: the network may be down, or Dictate was updated. Reload the page; your transcript is kept
          in History.
        </p>
      );
    return (
      <div role="alert" className="mx-auto mt-16 max-w-md rounded-xl border border-rose-200 bg-rose-50 p-6 text-rose-900">
        <p className="font-medium">Dictate hit a problem showing this page. Your saved transcript is kept.</p>
        <button
          type="button"
          className="mt-4 rounded-lg bg-rose-600 px-4 py-2 text-sm font-semibold text-white"
          onClick={() => location.reload()}
        >
          Reload
        </button>
      </div>
    );
  }
}
