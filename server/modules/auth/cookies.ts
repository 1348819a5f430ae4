import type { FastifyReply } from 'fastify';
import type { Deps } from '../../deps';
import { csrfCookie, sessionCookie } from './sessions.service';

function secure(deps: Deps): boolean {
  return deps.config.cookieSecure ?? (deps.config.publicUrl?.startsWith('https://') ?? false);
}

/** The session cookie is httpOnly + SameSite=Lax; the CSRF cookie is readable by the page on purpose. */
export function setSessionCookies(deps: Deps, reply: FastifyReply, token: string, csrfToken: string): void {
  const maxAge = deps.config.sessionAbsoluteHours * 3600;
  void reply.setCookie(sessionCookie, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: secure(deps), maxAge });
  void reply.setCookie(csrfCookie, csrfToken, { path: '/', httpOnly: false, sameSite: 'lax', secure: secure(deps), maxAge });
}

export function clearSessionCookies(deps: Deps, reply: FastifyReply): void {
  void reply.clearCookie(sessionCookie, { path: '/', httpOnly: true, sameSite: 'lax', secure: secure(deps) });
  void reply.clearCookie(csrfCookie, { path: '/', sameSite: 'lax', secure: secure(deps) });
}
