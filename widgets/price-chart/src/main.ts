// The widget's entry (built to dist/price-chart.js): defines <tessera-price-chart>.
import { PriceChartElement } from './element';

if (!customElements.get('tessera-price-chart')) customElements.define('tessera-price-chart', PriceChartElement);
