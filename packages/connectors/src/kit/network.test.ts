import { describe, expect, it } from "vitest";
import { isPrivateOrLoopbackHost } from "./network";

describe("isPrivateOrLoopbackHost", () => {
  it.each([
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.1",
    "10.255.255.255",
    "172.16.0.1",
    "172.31.255.254",
    "192.168.1.20",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "::1",
    "[::1]",
    "::",
    "fd00::1",
    "fe80::1",
    "::ffff:127.0.0.1",
    "::ffff:a00:1",
    "localhost",
    "LOCALHOST",
    "api.localhost",
    "localhost.",
  ])("refuses %s", (host) => {
    expect(isPrivateOrLoopbackHost(host)).toBe(true);
  });

  it.each([
    "8.8.8.8",
    "172.15.0.1",
    "172.32.0.1",
    "192.169.0.1",
    "100.128.0.1",
    "2606:4700::1111",
    "::ffff:8.8.8.8",
    "example.com",
    "localhost.example.com",
  ])("allows %s", (host) => {
    expect(isPrivateOrLoopbackHost(host)).toBe(false);
  });
});
