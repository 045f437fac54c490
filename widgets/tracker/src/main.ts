// The widget's entry (built to dist/tracker.js): defines <tessera-tracker>,
// once even if this module were evaluated twice. The brush's pure parts and
// the live loop are exported too, for the tests.
import { TAG, TrackerElement } from './element';

if (!customElements.get(TAG)) customElements.define(TAG, TrackerElement);

export { TAG, TrackerElement };
export { followHits } from './live';
export { rangeOfContext, snapToBuckets, timeRangeContext, withHits } from './range';
