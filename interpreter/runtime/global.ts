/**
 * Global instances (spec "Global Instances"). Numeric values are kept as raw words (`w[0]` low,
 * `w[1]` high; f32 bits in `w[0]`, f64 bits in both) so NaN payloads survive; references in `ref`.
 */
export class GlobalInst {
  /** The value type, in canonical form (type indices replaced by canonical ids: `decode/matching.ts` `toCanonical`). */
  readonly type: number;
  readonly mutable: boolean;
  readonly w: Int32Array = new Int32Array(2);
  ref: unknown = null;
  constructor(type: number, mutable: boolean) {
    this.type = type;
    this.mutable = mutable;
  }
}
