// No bundler: the package's module from node_modules, analytics-next's own
// browser build as window.AnalyticsNext.
import { convertro } from './node_modules/convertro-analytics-plugin/js/index.js';
import { shop } from './shop.js';

shop(window.AnalyticsNext.AnalyticsBrowser, convertro);
