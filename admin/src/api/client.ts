import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

/** An answer of the API that is not a success: its `code` and `message` (the common error shape) and status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null = null,
  ) {
    super(message);
  }
}

// The access token lives in memory only (gone on reload); the refresh token in sessionStorage (this tab, cleared
// on sign-out and when the tab closes). Each refresh token works once: refresh answers a new pair (auth API).
const REFRESH_KEY = 'ww-admin-refresh';
let accessToken: string | null = null;
let refreshing: Promise<boolean> | null = null;
let onSignedOut: () => void = () => undefined;

export function setSignedOutHandler(handler: () => void): void {
  onSignedOut = handler;
}

export function hasSession(): boolean {
  return accessToken !== null || sessionStorage.getItem(REFRESH_KEY) !== null;
}

function storeTokens(pair: { accessToken: string; refreshToken: string }): void {
  accessToken = pair.accessToken;
  sessionStorage.setItem(REFRESH_KEY, pair.refreshToken);
}

export function clearTokens(): void {
  accessToken = null;
  sessionStorage.removeItem(REFRESH_KEY);
}

const auth: Middleware = {
  onRequest({ request }) {
    if (accessToken) request.headers.set('Authorization', `Bearer ${accessToken}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

/** Swap the stored refresh token for a new pair, once at a time however many requests ask. */
function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const refreshToken = sessionStorage.getItem(REFRESH_KEY);
    if (!refreshToken) return false;
    const { data } = await api.POST('/api/v1/auth/refresh', { body: { refreshToken } });
    if (!data) {
      clearTokens();
      return false;
    }
    storeTokens(data);
    return true;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

function toApiError(response: Response, error: unknown): ApiError {
  const body = (error ?? {}) as { code?: unknown; message?: unknown; requestId?: unknown };
  return new ApiError(
    response.status,
    typeof body.code === 'string' ? body.code : `HTTP_${response.status}`,
    typeof body.message === 'string' ? body.message : response.statusText || 'No answer from the API',
    typeof body.requestId === 'string' ? body.requestId : null,
  );
}

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Runs a typed request (`() => api.GET(...)`) and answers its data, or throws an ApiError with the API's code and
 * message. A 401 refreshes the session once and repeats the request; a second 401 signs out.
 */
export async function call<T>(request: () => Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await request();
    if (result.response.status === 401 && sessionStorage.getItem(REFRESH_KEY) && (await refresh())) {
      result = await request();
    }
  } catch (error) {
    throw new ApiError(0, 'NETWORK_ERROR', error instanceof Error ? error.message : String(error));
  }
  if (result.response.ok) return result.data as T;
  const failure = toApiError(result.response, result.error);
  if (result.response.status === 401) {
    clearTokens();
    onSignedOut();
  }
  throw failure;
}

/** Sign in: only a platform admin keeps the session (anyone else is signed out again and refused). */
export async function signIn(email: string, password: string): Promise<Schemas['MeResponseDto']> {
  const pair = await call(() => api.POST('/api/v1/auth/login', { body: { email, password } }));
  storeTokens(pair);
  const me = await call(() => api.GET('/api/v1/me'));
  if (me.role !== 'admin') {
    await signOut();
    throw new ApiError(403, 'NOT_PLATFORM_ADMIN', 'notAdmin');
  }
  return me;
}

/** The signed-in admin after a reload (the refresh token of this tab), or null. */
export async function resume(): Promise<Schemas['MeResponseDto'] | null> {
  if (!hasSession()) return null;
  if (!accessToken && !(await refresh())) return null;
  try {
    const me = await call(() => api.GET('/api/v1/me'));
    return me.role === 'admin' ? me : null;
  } catch {
    return null;
  }
}

export async function signOut(): Promise<void> {
  const refreshToken = sessionStorage.getItem(REFRESH_KEY);
  if (refreshToken) await api.POST('/api/v1/auth/logout', { body: { refreshToken } }).catch(() => undefined);
  clearTokens();
}
