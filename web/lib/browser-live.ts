import type { OpenSocket, PageSignals } from './live-connection.js';

/** The live connection's socket in a browser: its WebSocket, text messages only. */
export const openBrowserSocket: OpenSocket = (url, handlers) => {
  const ws = new WebSocket(url);
  ws.onopen = () => handlers.onOpen();
  ws.onmessage = (message) => {
    if (typeof message.data === 'string') handlers.onMessage(message.data);
  };
  ws.onclose = () => handlers.onClose();
  return {
    close: () => {
      ws.onopen = ws.onclose = ws.onmessage = null;
      ws.close();
    },
  };
};

/** The browser's network and visibility signals (navigator.onLine, `online`/`offline`, `visibilitychange`). */
export const browserPage: PageSignals = {
  online: () => navigator.onLine !== false,
  visible: () => document.visibilityState === 'visible',
  watch(onChange) {
    const online = () => onChange('online');
    const offline = () => onChange('offline');
    const visibility = () => document.visibilityState === 'visible' && onChange('visible');
    addEventListener('online', online);
    addEventListener('offline', offline);
    document.addEventListener('visibilitychange', visibility);
    return () => {
      removeEventListener('online', online);
      removeEventListener('offline', offline);
      document.removeEventListener('visibilitychange', visibility);
    };
  },
};
