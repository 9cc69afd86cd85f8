import { useEffect } from 'preact/hooks';
import { useBins } from '../../lib/use-bins.js';
import { binHref, navigate } from '../../lib/use-route.js';
import { BinList } from '../BinList/index.js';
import { CreateBinForm } from '../CreateBinForm/index.js';
import styles from './style.module.css';

export function StartPage() {
  const { bins, error, create, remove } = useBins();
  useEffect(() => {
    document.title = 'hookscope';
  }, []);
  return (
    <div class={styles.page}>
      <section class={styles.intro}>
        <h1>Capture and inspect webhooks</h1>
        <p>
          Create a bin, give its URL to Krea (<code>X-Webhook-URL</code>) or LangGraph (<code>webhook=</code>), and watch finished jobs and runs arrive live:
          headers, query, JSON, forms, files and raw bytes.
        </p>
      </section>
      <CreateBinForm
        onCreate={async (input) => {
          const bin = await create(input);
          navigate(binHref(bin.id));
        }}
      />
      <BinList bins={bins} error={error} onDelete={remove} />
    </div>
  );
}
