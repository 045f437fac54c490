// A published third-party web component, used unchanged: vanilla-colorful's
// <hex-color-picker> (its own :host says 200 x 200, a flex column). The
// frame must let it keep the size it declares.
import 'vanilla-colorful/hex-color-picker.js';
