// Counts of the core's costly steps. The pipeline promises that a document version is scanned, checked and
// its address lists parsed once on its way to the server; tests hold it to that by reading these counts.
// Plain counters: incrementing one costs nothing worth measuring.

export interface WorkCounts {
  /** scanMessage calls (one per text read). */
  scan: number;
  /** validateMessage calls (every rule over a scanned text). */
  validate: number;
  /** parseAddressList calls. */
  addressList: number;
  /** Files looked at on disk (lstat/realpath/stat of a named attachment or image). */
  fileStat: number;
  /** MIME compositions (nodemailer's MailComposer). */
  compose: number;
  /** Runs of the send use case (pipeline/sendDocument.ts): every face's Send goes through it. */
  sendDocument: number;
}

const counts: WorkCounts = { scan: 0, validate: 0, addressList: 0, fileStat: 0, compose: 0, sendDocument: 0 };

export function countWork(kind: keyof WorkCounts): void {
  counts[kind]++;
}

/** A copy of the counts so far. */
export function workCounts(): WorkCounts {
  return { ...counts };
}

/** The counts of what `run` did (the counters are global: run one measured thing at a time). */
export async function countWorkOf<T>(run: () => Promise<T> | T): Promise<{ result: T; counts: WorkCounts }> {
  const before = workCounts();
  const result = await run();
  const after = workCounts();
  const delta = {} as WorkCounts;
  for (const key of Object.keys(after) as (keyof WorkCounts)[]) delta[key] = after[key] - before[key];
  return { result, counts: delta };
}
