// For tests: a TCP server speaking just enough of the PostgreSQL wire protocol to reject a password,
// exactly as a real server does (ErrorResponse, SQLSTATE 28P01). The machine's test server may trust
// every local connection, so this is how the wrong-password path is exercised everywhere.
// Protocol: https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP
import net from "node:net";

export interface AuthFailingServer {
  port: number;
  /** Passwords the client sent, to prove the driver really went through authentication. */
  received: string[];
  close(): Promise<void>;
}

export async function startAuthFailingServer(): Promise<AuthFailingServer> {
  const received: string[] = [];
  const server = net.createServer((socket) => {
    let buffer = Buffer.alloc(0);
    let started = false;
    socket.on("data", (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!started && buffer.length >= 4 && buffer.length >= buffer.readInt32BE(0)) {
        started = true;
        buffer = buffer.subarray(buffer.readInt32BE(0));
        socket.write(message("R", int32(3))); // AuthenticationCleartextPassword
      }
      if (started && buffer.length >= 5 && buffer[0] === "p".charCodeAt(0) && buffer.length >= 1 + buffer.readInt32BE(1)) {
        received.push(buffer.subarray(5, buffer.readInt32BE(1)).toString("utf8").replace(/\0$/, ""));
        const fields = ["SFATAL", "VFATAL", "C28P01", 'Mpassword authentication failed for user "sluice"'];
        socket.end(message("E", Buffer.concat([...fields.map((f) => Buffer.from(`${f}\0`)), Buffer.from([0])])));
      }
    });
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { port, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

function message(type: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(type), int32(body.length + 4), body]);
}
