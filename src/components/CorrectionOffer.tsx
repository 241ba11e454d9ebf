import { useWords } from '../store/words';

const button =
  'rounded-lg border border-slate-300 bg-white px-2.5 py-1 text-sm font-medium text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600';

/** After a word is corrected by hand: "Always write *Dashwood* for *dash wood*?", once and quietly. */
export function CorrectionOffer() {
  const offer = useWords((s) => s.offer);
  if (!offer) return null;
  const { acceptOffer, dismissOffer } = useWords.getState();
  return (
    <div role="status" className="flex flex-wrap items-center gap-2 rounded-lg bg-indigo-50 px-3 py-2 text-sm text-indigo-950">
      <span>
        Always write <em>{offer.to}</em> for <em>{offer.from}</em>?
      </span>
      <button type="button" className={button} onClick={acceptOffer}>
        Always
      </button>
      <button type="button" className={button} onClick={() => dismissOffer(false)}>
        Not now
      </button>
      <button type="button" className={button} onClick={() => dismissOffer(true)}>
        Never for these words
      </button>
    </div>
  );
}
