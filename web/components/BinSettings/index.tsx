import { useEffect, useRef, useState } from 'preact/hooks';
import type { BinInfo } from '../../lib/types.js';
import { CheckSettings } from '../CheckSettings/index.js';
import { Dialog } from '../Dialog/index.js';
import { ExpectedIds } from '../ExpectedIds/index.js';
import { ForwardSettings } from '../ForwardSettings/index.js';
import { GeneralSettings, type SaveBin } from '../GeneralSettings/index.js';
import { ResponseSettingsForm } from '../ResponseSettingsForm/index.js';
import styles from './style.module.css';

export type SettingsTab = 'general' | 'checks' | 'forward' | 'responses';

const TABS: [SettingsTab, string][] = [
  ['general', 'General'],
  ['checks', 'Checks'],
  ['forward', 'Forward'],
  ['responses', 'Responses'],
];

/**
 * A bin's settings in one dialog, a tab per concern, each saved on its own. Every tab stays
 * mounted (hidden when not shown), so switching tabs keeps what was typed.
 */
export function BinSettings({ bin, save, tab: initial = 'general', onClose }: { bin: BinInfo; save: SaveBin; tab?: SettingsTab; onClose(): void }) {
  const [tab, setTab] = useState<SettingsTab>(initial);
  const tabs = useRef<HTMLDivElement>(null);
  // On a phone the strip scrolls: the chosen tab (also one opened from a header chip) is brought into it.
  useEffect(() => {
    tabs.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [tab]);
  return (
    <Dialog title={`Settings · ${bin.name}`} testId="bin-settings" wide onClose={onClose}>
      <div role="tablist" aria-label="Settings" class={styles.tabs} ref={tabs}>
        {TABS.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`settings-tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`settings-${id}`}
            class={styles.tab}
            onClick={() => setTab(id)}
          >
            {label}
          </button>
        ))}
      </div>
      {TABS.map(([id]) => (
        <div key={id} role="tabpanel" id={`settings-${id}`} aria-labelledby={`settings-tab-${id}`} hidden={tab !== id} class={styles.panel}>
          {id === 'general' && <GeneralSettings bin={bin} save={save} />}
          {id === 'checks' && (
            <>
              <CheckSettings bin={bin} save={save} />
              <ExpectedIds bin={bin} />
            </>
          )}
          {id === 'forward' && <ForwardSettings bin={bin} save={save} />}
          {id === 'responses' && <ResponseSettingsForm bin={bin} save={save} />}
        </div>
      ))}
    </Dialog>
  );
}
