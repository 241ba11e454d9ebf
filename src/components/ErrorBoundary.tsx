import { Component, type ErrorInfo, type ReactNode } from 'react';

/** Shows a sentence and a way out instead of a blank page if rendering ever fails. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('Dictate failed to render', error, info.componentStack);
  }

  render() {
    if (!this.state.failed) return this.props.children;
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
