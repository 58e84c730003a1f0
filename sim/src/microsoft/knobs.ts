/** Switches that change what the sim serves, settable per test. */
export interface Knobs {
  /** Each Graph page after the first repeats the previous page's last record. */
  duplicateAcrossPages: boolean;
  /** Fraction of each content blob's records that the next blob of the same type repeats verbatim. */
  duplicateAcrossBlobs: number;
  /** Default Graph page size when `$top` is absent. */
  graphPageSize: number;
  /** Content listings per page before a NextPageUri. */
  contentPageSize: number;
}
