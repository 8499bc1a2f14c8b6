import type { LoginRequest, LogoutRequest, RefreshRequest } from '../types.js';
import type { Handler } from './context.js';
import { actor } from './context.js';

export const login: Handler = async ({ auth, body }) => {
  const { username, password } = body as LoginRequest;
  return { status: 200, body: await auth.login(username, password) };
};

export const refreshToken: Handler = async ({ auth, body }) => {
  const { refresh_token: token } = body as RefreshRequest;
  return { status: 200, body: await auth.refresh(token) };
};

export const logout: Handler = (context) => {
  const { refresh_token: token } = context.body as LogoutRequest;
  context.auth.logout(token, actor(context));
  return { status: 204 };
};

export const getCurrentUser: Handler = ({ user }) => ({ status: 200, body: user });
