import styles from './style.module.css';

interface Props {
  rows: readonly (readonly [string, string])[];
  label: string;
  nameHeader?: string;
  empty: string;
}

/** Name/value pairs in the order given; a name that repeats is marked with its occurrence (1/2, 2/2). */
export function KeyValueTable({ rows, label, nameHeader = 'Name', empty }: Props) {
  if (rows.length === 0) return <p class={styles.empty}>{empty}</p>;
  const totals = new Map<string, number>();
  for (const [name] of rows) totals.set(name.toLowerCase(), (totals.get(name.toLowerCase()) ?? 0) + 1);
  const seen = new Map<string, number>();
  return (
    <div class={styles.wrap}>
      <table class={styles.table} aria-label={label}>
        <thead>
          <tr>
            <th scope="col">{nameHeader}</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([name, value], i) => {
            const key = name.toLowerCase();
            const total = totals.get(key)!;
            const nth = (seen.get(key) ?? 0) + 1;
            seen.set(key, nth);
            return (
              <tr key={i}>
                <th scope="row" class={styles.name}>
                  {name}
                  {total > 1 && (
                    <span class={styles.repeat} title={`"${name}" appears ${total} times`}>
                      {nth}/{total}
                    </span>
                  )}
                </th>
                <td class={styles.value}>{value === '' ? <span class={styles.blank}>(empty)</span> : value}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
