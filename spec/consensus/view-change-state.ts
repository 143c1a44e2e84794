/**
 * The view-change collections a node keeps while views change.
 *
 * For each view ID being changed to, Harmony keeps three sets of signatures by committee key
 * (Go `viewChange`): the M1 signatures (`bhpSigs`, over a prepared block's hash and prepare
 * certificate), the M2 signatures (`nilSigs`, over `NIL`), and the M3 signatures (`viewIDSigs`,
 * over the view ID), each with the bitmap of its keys. A key gives M1 or M2, never both, and M3
 * always. It also keeps the first M1 payload it accepted (`m1Payload`): the prepare certificate
 * of the block the new view must carry over.
 *
 * A bitmap here is the set of keys turned into a committee bitmap; keys outside the committee
 * cannot be set (Go's `SetKey` fails for them) and are left out.
 *
 * @see github.com/harmony-one/harmony consensus/view_change_construct.go `viewChange`, `Reset`,
 *   `GetM2Bitmap`, `GetM3Bitmap`
 * @module
 */
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { blsEncodeSignature, type BlsG2Point } from "../crypto/bls.ts";
import { type BlsCommittee, blsMaskFromIndices } from "../crypto/bls-mask.ts";

/** The signatures collected for one view ID, by key (hex). */
export interface ViewSignatures {
  /** M1: signatures of the M1 payload. */
  m1: Map<string, BlsG2Point>;
  /** M2: signatures of NIL. */
  m2: Map<string, BlsG2Point>;
  /** M3: signatures of the view ID. */
  m3: Map<string, BlsG2Point>;
}

/** All view-change collections. */
export interface ViewChangeState {
  /** The first accepted M1 payload (`blockHash ‖ prepareSig ‖ prepareBitmap`), or empty. */
  m1Payload: Uint8Array;
  /** Signatures by view ID. */
  views: Map<bigint, ViewSignatures>;
}

/** No view change in progress (Go `viewChange.Reset`). */
export const EMPTY_VIEW_CHANGE: ViewChangeState = {
  m1Payload: new Uint8Array(0),
  views: new Map(),
};

/**
 * The signatures collected for a view (empty sets when none).
 *
 * @param vc the collections
 * @param viewId the view ID
 * @returns its signatures
 */
export function viewSignatures(vc: ViewChangeState, viewId: bigint): ViewSignatures {
  return vc.views.get(viewId) ?? { m1: new Map(), m2: new Map(), m3: new Map() };
}

/**
 * Replaces the signatures of one view.
 *
 * @param vc the collections
 * @param viewId the view ID
 * @param sigs its new signatures
 * @returns the new collections
 */
export function withViewSignatures(
  vc: ViewChangeState,
  viewId: bigint,
  sigs: ViewSignatures,
): ViewChangeState {
  const views = new Map(vc.views);
  views.set(viewId, sigs);
  return { ...vc, views };
}

/**
 * The committee bitmap of a set of keys; keys outside the committee are left out.
 *
 * @param committee the committee
 * @param keysHex keys as hex
 * @returns `⌈n/8⌉` bytes
 */
export function bitmapOfKeys(committee: BlsCommittee, keysHex: Iterable<string>): Uint8Array {
  const indices: number[] = [];
  for (const k of keysHex) {
    const i = committee.index.get(k);
    if (i !== undefined) indices.push(i);
  }
  return blsMaskFromIndices(committee.points.length, indices);
}

/**
 * The sum of some signatures (Go `AggregateSig`).
 *
 * @param points decoded signatures
 * @returns the 96-byte sum (infinity for none)
 */
export function aggregatePoints(points: Iterable<BlsG2Point>): Uint8Array {
  let sum = bls12_381.G2.Point.ZERO;
  for (const p of points) sum = sum.add(p);
  return blsEncodeSignature(sum);
}
