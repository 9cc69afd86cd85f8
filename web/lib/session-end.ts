/**
 * When the access session ends (a logout in another tab, an expired cookie), every open tab
 * goes to the login page at once instead of reconnecting forever or showing the API's 401 text.
 * The server answers any inspector page with the login form while logged out, so reloading the
 * page is "go to login and come back here afterwards".
 */
const CHANNEL = 'hookscope-session';
let leaving = false;

/** Sends this tab to the login page (once, however many calls see a 401). */
export function sessionEnded(): void {
  if (leaving || typeof location === 'undefined') return;
  leaving = true;
  location.reload();
}

/** Tells the other tabs of this origin that the user logged out here (the logout form calls it). */
export function announceLogout(): void {
  // This tab's own listener hears it too: it is leaving already, through the form.
  leaving = true;
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage('logout');
  channel.close();
}

/** Reloads this tab when another tab logs out; returns a function that stops listening. */
export function watchLogout(): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event: MessageEvent) => {
    if (event.data === 'logout') void leaveOnceLoggedOut();
  };
  return () => channel.close();
}

/**
 * The other tab announces its logout as its form is sent, before the server has ended the
 * session: reloading at once could still find it open. So wait (up to 10 s) until the API
 * refuses this tab, then go to login.
 */
async function leaveOnceLoggedOut(): Promise<void> {
  for (let attempt = 0; attempt < 40 && !leaving; attempt++) {
    try {
      const res = await fetch('/api/bins', { method: 'GET' });
      if (res.status === 401) return sessionEnded();
    } catch {
      // unreachable for a moment: try again
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
