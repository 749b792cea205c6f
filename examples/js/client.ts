// Browser client for server.js: logs in, keeps the token, opens the socket.
import { io, Socket } from "socket.io-client";

const API = "http://localhost:3000";

export async function login(user: string): Promise<Socket> {
  const res = await fetch(`${API}/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ user }),
  });
  const { token } = (await res.json()) as { token: string };
  localStorage.setItem("token", token);
  return io(API, { query: { token }, withCredentials: true });
}
