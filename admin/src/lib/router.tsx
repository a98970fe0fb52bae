import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';

/** The app lives under /admin (Vite's base); routes are the rest of the path, e.g. /accounts/O000123. */
const BASE = '/admin';

function current(): { path: string; query: URLSearchParams } {
  const path = window.location.pathname.replace(/^\/admin/, '') || '/';
  return { path, query: new URLSearchParams(window.location.search) };
}

const RouteContext = createContext(current());

export function navigate(to: string, replace = false): void {
  const url = `${BASE}${to}`;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function RouterProvider({ children }: { children: ComponentChildren }) {
  const [route, setRoute] = useState(current());
  useEffect(() => {
    const update = () => {
      setRoute(current());
      window.scrollTo(0, 0);
    };
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return <RouteContext.Provider value={route}>{children}</RouteContext.Provider>;
}

export const useRoute = () => useContext(RouteContext);

/** A real link (keyboard, middle click, copy address) that navigates inside the app on a plain click. */
export function Link({
  to,
  children,
  class: className,
  current: isCurrent,
}: {
  to: string;
  children: ComponentChildren;
  class?: string;
  current?: boolean;
}) {
  return (
    <a
      href={`${BASE}${to}`}
      class={className}
      aria-current={isCurrent ? 'page' : undefined}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}
