// Chat API: Express + socket.io 4 + jsonwebtoken. Deliberately misconfigured for authlint's demo.
const express = require("express");
const cors = require("cors");
const http = require("http");
const jwt = require("jsonwebtoken");
const { Server } = require("socket.io");

const JWT_SECRET = "dev-secret"; // hard-coded and short
const app = express();
app.use(cors({ origin: true, credentials: true })); // reflects any origin, with cookies

app.post("/login", express.json(), (req, res) => {
  const token = jwt.sign({ sub: req.body.user }, JWT_SECRET, { expiresIn: "10s" });
  res.cookie("token", token); // no HttpOnly, Secure or SameSite
  res.json({ token });
});

const httpServer = http.createServer(app);
const io = new Server(httpServer, {
  cors: { origin: "*" },
  pingTimeout: 2000,
});

io.use((socket, next) => {
  const token = socket.handshake.query.token;
  try {
    socket.user = jwt.verify(token, JWT_SECRET, { ignoreExpiration: true });
    next();
  } catch (err) {
    next(new Error("unauthorized"));
  }
});

io.on("connection", (socket) => {
  socket.emit("hello", socket.user.sub);
});

httpServer.listen(3000);
