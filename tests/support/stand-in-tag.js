// A local stand-in for Convertro's tag (live.js), served in place of
// https://d1ivexoxmp59q7.cloudfront.net/<account>/live.js by the end-to-end
// tests and the demo site. It behaves like the real tag towards the page:
//   - adopts the existing window.$CVO array (or creates one), keeping the object;
//   - drains the commands queued there, in order;
//   - then handles each later $CVO.push(...) at once (push is overridden on
//     that same array);
//   - defines $CVO.trackEvent(payload) and $CVO.trackUser(payload).
// Every command it receives is recorded in window.__cvoReceived as
// [name, payload], the payload deep-copied at the moment it arrived.
// Plain ES5, no imports: it runs as a classic <script>.
(function () {
  'use strict';

  var w = window;
  var received = Array.isArray(w.__cvoReceived) ? w.__cvoReceived : (w.__cvoReceived = []);
  var queue = w.$CVO;
  if (!queue || typeof queue !== 'object' || typeof queue.length !== 'number') {
    queue = w.$CVO = [];
  }

  function copy(value) {
    if (value === undefined) return undefined;
    try {
      return typeof structuredClone === 'function' ? structuredClone(value) : JSON.parse(JSON.stringify(value));
    } catch (e) {
      try { return JSON.parse(JSON.stringify(value)); } catch (e2) { return String(value); }
    }
  }

  function record(name, payload) {
    received.push([name, copy(payload)]);
  }

  queue.trackEvent = function (payload) { record('trackEvent', payload); };
  queue.trackUser = function (payload) { record('trackUser', payload); };

  // One queued command: ['trackEvent', {...}] calls $CVO.trackEvent({...}).
  function handle(command) {
    if (!command || typeof command.length !== 'number') {
      record('(not a command)', command);
      return;
    }
    var name = command[0];
    var args = Array.prototype.slice.call(command, 1);
    if (typeof name === 'string' && typeof queue[name] === 'function' && (name === 'trackEvent' || name === 'trackUser')) {
      queue[name].apply(queue, args);
    } else {
      // Unknown commands are recorded too, so a test sees anything unexpected.
      record(typeof name === 'string' ? name : '(bad name)', args.length > 1 ? args : args[0]);
    }
  }

  var queued = Array.prototype.splice.call(queue, 0, queue.length);
  queue.push = function () {
    for (var i = 0; i < arguments.length; i++) handle(arguments[i]);
    return queue.length;
  };
  for (var i = 0; i < queued.length; i++) handle(queued[i]);
})();
