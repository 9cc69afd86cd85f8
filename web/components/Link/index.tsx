import type { ComponentChildren, PartialAnchorHTMLAttributes } from 'preact';
import { isModifiedClick, navigate } from '../../lib/use-route.js';

type Props = Omit<PartialAnchorHTMLAttributes<HTMLAnchorElement>, 'href' | 'role'> & { href: string; children: ComponentChildren };

/** An in-app link: a real <a href> (new tab, copy link work), navigating without a reload on a plain click. */
export function Link({ href, onClick, ...rest }: Props) {
  return (
    <a
      href={href}
      onClick={(event) => {
        if (typeof onClick === 'function') onClick(event);
        if (event.defaultPrevented || isModifiedClick(event)) return;
        event.preventDefault();
        navigate(href);
      }}
      {...rest}
    />
  );
}
