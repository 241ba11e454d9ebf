/** Reading caption files back, for the export tests (unit and end-to-end). */

/** Cue times (s) and lines of an SRT or WebVTT file. */
export function parseCues(text: string) {
  const time = (t: string) => {
    const [h, m, s] = t.replace(',', '.').split(':');
    return Number(h) * 3600 + Number(m) * 60 + Number(s);
  };
  return [...text.matchAll(/(\d\d:\d\d:\d\d[.,]\d{3}) --> (\d\d:\d\d:\d\d[.,]\d{3})\n((?:.+\n?)+)/g)].map((m) => ({
    start: time(m[1]),
    end: time(m[2]),
    lines: m[3].trimEnd().split('\n'),
  }));
}
