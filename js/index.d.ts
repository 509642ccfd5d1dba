import type { AnalyticsBrowserSettings } from '@segment/analytics-next';

/** `consentSettings`, in the shape Segment's app keeps it for a destination. */
export interface ConvertroConsentSettings {
  /**
   * Consent categories (such as OneTrust's `C0004`) an event needs: when an
   * event carries `context.consent.categoryPreferences`, it is sent only if
   * every one of them is `true` there. Events without it are sent. The tag
   * is not injected before the first event that may be sent.
   */
  categories?: string[] | null;
}

/** Settings for the Convertro destination: Segment's, plus `tagUrl` and `nonce`. */
export interface ConvertroSettings {
  /** Convertro account name: letters, digits, `_`, `-` and `.`. */
  account: string;
  /**
   * Which Segment track events are sent to Convertro, as which Convertro type:
   * `{ "Signed Up": "signup" }`, `[{ key: "Signed Up", value: "signup" }]`, or
   * `["signup"]` (a name that maps to itself). Names match ignoring case, and
   * `_`, `-`, `.` and camelCase boundaries count as spaces.
   */
  events?: Record<string, string> | Array<{ key: string; value: string }> | string[] | null;
  /** Send `sale` after `sale.new` / `sale.repeat` when `repeat` is a boolean. Default `false`. */
  hybridAttributionModel?: boolean;
  /** Convertro's server-side setting; accepted and ignored in the browser. */
  clientName?: string | null;
  /** Convertro's server-side setting; accepted and ignored in the browser. */
  siteId?: string | null;
  /** Convertro's server-side setting; accepted and ignored in the browser. */
  domain?: string | null;
  /** Tag URL replacing `https://d1ivexoxmp59q7.cloudfront.net/{account}/live.js`: absolute http(s) or a `/path` on this site. */
  tagUrl?: string | null;
  /** CSP nonce put on the injected `<script>`. */
  nonce?: string | null;
  /** Consent categories, as the Segment app sets them for the destination. */
  consentSettings?: ConvertroConsentSettings | null;
}

/** Where the WebAssembly binary comes from; by default, beside this module. */
export interface ConvertroOptions {
  wasm?: string | URL | Response | Promise<Response> | BufferSource | WebAssembly.Module;
}

/** The analytics.js 2.0 destination plugin. */
export interface ConvertroPlugin {
  readonly name: 'Convertro';
  readonly type: 'destination';
  readonly version: string;
  isLoaded(): boolean;
  load(ctx: unknown, analytics: unknown): Promise<unknown>;
  identify<C>(ctx: C): C;
  track<C>(ctx: C): C;
}

/** The package version. */
export declare const VERSION: string;

/**
 * Creates the Convertro destination plugin at once, not a promise: the
 * WebAssembly is fetched and given the settings in the background, and
 * calls that come before are kept in order (and written to localStorage,
 * so that a visitor who leaves first loses none) until it is ready. A bad
 * setting is one `console.warn` naming it, and nothing is sent.
 *
 * ```js
 * AnalyticsBrowser.load({ writeKey, plugins: [convertroPlugin({ account: 'acme' })] })
 * ```
 */
export declare function convertroPlugin(settings: ConvertroSettings, options?: ConvertroOptions): ConvertroPlugin;

/**
 * Creates the Convertro destination once its WebAssembly is ready. Rejects with an `Error` naming the bad
 * setting when the settings are invalid.
 *
 * ```js
 * analytics.register(await convertro({ account: 'acme' }))
 * ```
 */
export declare function convertro(settings: ConvertroSettings, options?: ConvertroOptions): Promise<ConvertroPlugin>;
export default convertro;

/** A classic integration source, as analytics-next's `classicIntegrations` setting takes it. */
export type ClassicIntegrationSource = NonNullable<AnalyticsBrowserSettings['classicIntegrations']>[number];

/**
 * The drop-in for the Convertro destination enabled in the Segment app:
 * analytics-next builds it from the app's settings (merged with the load
 * option `integrations.Convertro`) instead of fetching Segment's bundle.
 *
 * ```js
 * AnalyticsBrowser.load({ writeKey, classicIntegrations: [ConvertroIntegration] })
 * ```
 */
export declare const ConvertroIntegration: ClassicIntegrationSource;

/** A `ConvertroIntegration` with the wasm served from `options.wasm`. */
export declare function createConvertroIntegration(options?: ConvertroOptions): ClassicIntegrationSource;
