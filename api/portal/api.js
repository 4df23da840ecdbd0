// The GraphQL client: the portal is a client like any other. The token lives in
// sessionStorage (this tab only, never a cookie).

const KEY = "kilpailutus.session";

export function session() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) || "null");
  } catch {
    return null;
  }
}

export function saveSession(payload) {
  const u = payload.user;
  sessionStorage.setItem(KEY, JSON.stringify({
    token: payload.token,
    user: { id: u.id, name: u.name, email: u.email, role: u.role, organization: u.organization },
  }));
}

export function clearSession() {
  sessionStorage.removeItem(KEY);
}

/** One GraphQL error: its code (extensions.code), the input field it names, the rule it broke
 *  with its parameters (extensions.rule, extensions.params), its (English) message. */
export class ApiError extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join("; "));
    this.errors = errors.map((e) => ({
      code: e.extensions?.code || "INTERNAL",
      field: e.extensions?.field || null,
      retryAfter: e.extensions?.retryAfter ?? null,
      rule: e.extensions?.rule ?? null,
      params: e.extensions?.params ?? {},
      message: e.message,
    }));
  }
  get code() {
    return this.errors[0]?.code;
  }
}

export async function gql(query, variables = {}) {
  return post(JSON.stringify({ query, variables }), { "content-type": "application/json" });
}

/** Sends a GraphQL request body (JSON, or a multipart upload's FormData) with the session's
 *  token; its data, or an ApiError. */
export async function post(body, headers = {}) {
  const s = session();
  if (s) headers.authorization = `Bearer ${s.token}`;
  let response;
  try {
    response = await fetch("/graphql", { method: "POST", headers, body });
  } catch {
    throw new ApiError([{ message: "network", extensions: { code: "NETWORK" } }]);
  }
  let answer;
  try {
    answer = await response.json();
  } catch {
    throw new ApiError([{ message: `HTTP ${response.status}`, extensions: { code: response.status === 413 ? "PAYLOAD_TOO_LARGE" : "INTERNAL" } }]);
  }
  if (answer.errors?.length) {
    const err = new ApiError(answer.errors);
    // An UNAUTHENTICATED error naming an input field (a wrong current password) is about
    // the input, not the token: the session goes on.
    if (err.code === "UNAUTHENTICATED" && s && !err.errors[0]?.field) {
      // The token expired or was revoked: back to the login, keeping where the user was.
      clearSession();
      window.dispatchEvent(new CustomEvent("session-expired"));
    }
    throw err;
  }
  return answer.data;
}
