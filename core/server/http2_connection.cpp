#include "server/http2_connection.hpp"

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <array>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <charconv>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "log/log.hpp"
#include "server/request_target.hpp"

namespace iu::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = asio::ssl;

// ---- Limits (their contract: ServerOptions::http2) ---------------------------------------

// SETTINGS_MAX_CONCURRENT_STREAMS. RFC 9113 §6.5.2 recommends no less, so as not to limit
// parallelism; more would only let one client hold more open streams (and their bodies) at once.
constexpr uint32_t kH2MaxConcurrentStreams = 100;
// SETTINGS_MAX_HEADER_LIST_SIZE, per stream, counted as RFC 9113 §6.5.2 sizes it (name, value
// and 32 bytes a field). Probes, scrapes and webhook calls send far less; it bounds what one
// stream's header block makes us hold (431 beyond it).
constexpr size_t kH2MaxHeaderListSize = 16 << 10;
// Then a graceful GOAWAY and the client reconnects: a connection ended now and then gives back
// what a long-lived one accumulates, and its client may land on another replica.
constexpr int kH2MaxStreamsPerConnection = 1000;
// Then GOAWAY ENHANCE_YOUR_CALM: rapid-reset abuse (CVE-2023-44487) costs the client its
// connection; registries, scrapers and probes seldom cancel a request at all.
constexpr int kH2MaxClientResets = 100;
// The floor of the connection's cap on buffered request bodies, max(this, 8 x body_limit): room
// for eight bodies at the limit at once, and a small body_limit still leaves room for many
// concurrent small uploads.
constexpr uint64_t kH2MinBufferedBodies = 8 << 20;
// No input for this long: GOAWAY, then close, so abandoned connections do not pile up (HTTP/1.1
// allows the same 30 s to read a request).
constexpr auto kH2IdleTimeout = std::chrono::seconds(30);
// Per write: a client that stops reading does not hold the connection (and its output) for ever.
constexpr auto kH2WriteTimeout = std::chrono::seconds(30);
// Bytes of nghttp2 output gathered per write: fewer, larger writes, with a bounded buffer.
constexpr size_t kH2WriteBatch = 64 << 10;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// One HTTP/2 connection (TLS, ALPN "h2"), driven by an nghttp2 server session: bytes read go
// to nghttp2_session_mem_recv, whose callbacks collect each stream's request and answer it
// from the routes; nghttp2_session_mem_send's output is written one batch at a time, while
// the next read is pending. Everything runs on the server's thread.
struct H2Session final : Http2Connection, std::enable_shared_from_this<H2Session> {
  using Stream = TlsStream;

  // One request stream (nghttp2's stream user data points here).
  struct RequestStream {
    Request request;
    std::string authority;
    size_t header_bytes = 0;
    bool headers_too_large = false;
    bool body_too_large = false;        // content-length over the limit
    uint64_t received = 0;              // request body bytes
    bool answered = false;              // a response (or RST_STREAM) was submitted
    bool reset_after_response = false;  // answered before the request ended
    std::string status;                 // response
    std::string body;
    size_t sent = 0;
  };

  H2Session(ServerState* s, Stream st, beast::flat_buffer buf)
      : server(s),
        stream(std::move(st)),
        pending_input(std::move(buf)),
        idle(stream.get_executor()) {}
  ~H2Session() {
    notify_goaway_sent();
    if (session) nghttp2_session_del(session);
  }

  ServerState* server;
  Stream stream;
  beast::flat_buffer pending_input;  // decrypted bytes already read by the handshake
  asio::steady_timer idle;           // no input for kH2IdleTimeout: GOAWAY
  nghttp2_session* session = nullptr;
  std::map<int32_t, std::unique_ptr<RequestStream>> streams;
  std::string remote;
  std::array<char, 16384> input;
  std::string output;  // the batch being written
  bool reading = false, writing = false;
  bool stop_reading = false;  // a fatal input error or our GOAWAY: no more input is needed
  bool closing = false;       // TLS shutdown started
  bool dead = false;          // the connection broke: nothing more is sent
  int opened = 0, client_resets = 0;
  uint64_t buffered = 0;                 // request body bytes held by open streams
  std::function<void()> on_goaway_sent;  // server shutdown: called once, when done

  beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream); }

  void start() {
    remote = remote_of(tcp());
    nghttp2_session_callbacks* cb = nullptr;
    if (nghttp2_session_callbacks_new(&cb) != 0) return;
    nghttp2_session_callbacks_set_on_begin_headers_callback(cb, on_begin_headers);
    nghttp2_session_callbacks_set_on_header_callback(cb, on_header);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, on_data_chunk);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cb, on_frame_recv);
    nghttp2_session_callbacks_set_on_frame_send_callback(cb, on_frame_send);
    nghttp2_session_callbacks_set_on_stream_close_callback(cb, on_stream_close);
    nghttp2_session_callbacks_set_error_callback2(cb, on_error);
    const int rv = nghttp2_session_server_new(&session, cb, this);
    nghttp2_session_callbacks_del(cb);
    if (rv != 0) {
      session = nullptr;
      log::debug("HTTP/2 session setup failed",
                 {{"remote", remote}, {"error", nghttp2_strerror(rv)}});
      return;
    }
    const nghttp2_settings_entry settings[] = {
        {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, kH2MaxConcurrentStreams},
        {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, static_cast<uint32_t>(kH2MaxHeaderListSize)}};
    nghttp2_submit_settings(session, NGHTTP2_FLAG_NONE, settings, std::size(settings));
    auto& live = server->http2_connections;
    live.erase(std::remove_if(live.begin(), live.end(), [](const auto& w) { return w.expired(); }),
               live.end());
    live.push_back(this->weak_from_this());
    log::debug("HTTP/2 connection", {{"remote", remote}});
    if (pending_input.size() > 0) {
      auto data = pending_input.data();
      if (!receive(static_cast<const uint8_t*>(data.data()), data.size())) stop_reading = true;
      pending_input.consume(pending_input.size());
    }
    flush();
    if (!stop_reading && !closing && !dead) read();
  }

  void shutdown(std::function<void()> on_sent) override {
    on_goaway_sent = std::move(on_sent);
    if (closing || dead) return notify_goaway_sent();
    nghttp2_session_terminate_session(session, NGHTTP2_NO_ERROR);
    stop_reading = true;
    flush();
  }

  void notify_goaway_sent() {
    if (!on_goaway_sent) return;
    auto f = std::move(on_goaway_sent);
    on_goaway_sent = nullptr;
    f();
  }

  bool receive(const uint8_t* data, size_t n) {
    const ssize_t rv = nghttp2_session_mem_recv(session, data, n);
    if (rv >= 0) return true;
    const int code = static_cast<int>(rv);
    log::debug("HTTP/2 connection error", {{"remote", remote}, {"error", nghttp2_strerror(code)}});
    nghttp2_session_terminate_session(
        session, code == NGHTTP2_ERR_FLOODED ? NGHTTP2_ENHANCE_YOUR_CALM : NGHTTP2_PROTOCOL_ERROR);
    return false;
  }

  void read() {
    reading = true;
    idle.expires_after(kH2IdleTimeout);
    idle.async_wait([weak = this->weak_from_this()](beast::error_code ec) {
      if (ec) return;
      if (auto self = weak.lock()) self->on_idle();
    });
    tcp().expires_never();
    stream.async_read_some(asio::buffer(input),
                           [self = this->shared_from_this()](beast::error_code ec, size_t n) {
                             self->on_read(ec, n);
                           });
  }

  void on_read(beast::error_code ec, size_t n) {
    reading = false;
    if (closing) return shutdown_tls();
    if (dead) return;
    if (ec) {
      if (ec != asio::error::eof && ec != ssl::error::stream_truncated)
        log::debug("HTTP/2 connection ended", {{"remote", remote}, {"error", ec.message()}});
      return drop();
    }
    if (stop_reading) return;  // after our GOAWAY (idle, shutdown): input is not wanted
    if (!receive(reinterpret_cast<const uint8_t*>(input.data()), n)) stop_reading = true;
    flush();
    if (!stop_reading && !closing && !dead && nghttp2_session_want_read(session)) read();
  }

  void on_idle() {
    if (closing || dead || stop_reading) return;
    log::debug("HTTP/2 connection idle; closing", {{"remote", remote}});
    nghttp2_session_terminate_session(session, NGHTTP2_NO_ERROR);
    stop_reading = true;
    flush();
  }

  // Writes what nghttp2 has to send; when nothing is left and neither side needs the
  // connection any more, closes it.
  void flush() {
    if (writing || closing || dead) return;
    output.clear();
    for (;;) {
      const uint8_t* data = nullptr;
      const ssize_t n = nghttp2_session_mem_send(session, &data);
      if (n < 0) {
        log::debug("HTTP/2 send failed",
                   {{"remote", remote}, {"error", nghttp2_strerror(static_cast<int>(n))}});
        return drop();
      }
      if (n == 0) break;
      output.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
      if (output.size() >= kH2WriteBatch) break;
    }
    if (output.empty()) {
      if ((stop_reading || !nghttp2_session_want_read(session)) &&
          !nghttp2_session_want_write(session))
        close();
      return;
    }
    writing = true;
    tcp().expires_after(kH2WriteTimeout);
    asio::async_write(
        stream, asio::buffer(output),
        [self = this->shared_from_this()](beast::error_code ec, size_t) {
          self->writing = false;
          if (self->dead) return;
          if (ec) {
            log::debug("HTTP/2 write failed", {{"remote", self->remote}, {"error", ec.message()}});
            return self->drop();
          }
          self->tcp().expires_never();
          self->flush();
        });
  }

  // The connection broke: stop everything at once.
  void drop() {
    dead = true;
    idle.cancel();
    notify_goaway_sent();
    beast::error_code ignored;
    tcp().socket().close(ignored);
  }

  // Done (GOAWAY sent or received, no open streams): TLS close_notify, bounded in time, once
  // a pending read is cancelled.
  void close() {
    if (closing || dead) return;
    closing = true;
    idle.cancel();
    notify_goaway_sent();
    if (reading) return tcp().cancel();  // on_read continues
    shutdown_tls();
  }

  void shutdown_tls() {
    tcp().expires_after(server->options.handshake_timeout);
    stream.async_shutdown([self = this->shared_from_this()](beast::error_code) {});
  }

  // ---- request streams ----

  RequestStream* stream_of(int32_t id) {
    return static_cast<RequestStream*>(nghttp2_session_get_stream_user_data(session, id));
  }

  uint64_t buffered_cap() const {
    const uint64_t limit = server->options.body_limit;
    return std::max(kH2MinBufferedBodies, limit > UINT64_MAX / 8 ? UINT64_MAX : 8 * limit);
  }

  void release_body(RequestStream& rs) {
    buffered -= rs.request.body.size();
    rs.request.body = std::string();
  }

  // The request ended: dispatched to its route, answered.
  void complete(int32_t id, RequestStream& rs) {
    if (rs.answered) return;
    if (rs.body_too_large) return reject(id, rs, 413, "request body too large\n");
    buffered -= rs.request.body.size();
    Request req = std::move(rs.request);
    rs.request = Request();
    split_target(req.target, req);
    if (!rs.authority.empty() && !req.headers.count("host")) req.headers["host"] = rs.authority;
    const bool head = req.method == "HEAD";
    respond(id, rs, server->dispatch(req), head);
  }

  // An error response before the request ended (413, 431); the rest of the request is not
  // wanted: RST_STREAM NO_ERROR once the response is out (RFC 9113 §8.1).
  void reject(int32_t id, RequestStream& rs, int status, const char* text) {
    release_body(rs);
    rs.reset_after_response = true;
    respond(id, rs, Response{status, "text/plain; charset=utf-8", text, {}}, false);
  }

  void respond(int32_t id, RequestStream& rs, Response out, bool head) {
    rs.answered = true;
    rs.status = std::to_string(out.status);
    rs.body = std::move(out.body);
    std::vector<std::pair<std::string, std::string>> fields{{"content-type", out.content_type}};
    for (auto& [k, v] : out.headers) {
      std::string name = lower(k);
      // Connection-specific fields are not allowed (RFC 9113 §8.2.2); the length is ours.
      if (name == "connection" || name == "keep-alive" || name == "proxy-connection" ||
          name == "transfer-encoding" || name == "upgrade" || name == "content-length")
        continue;
      auto it = std::find_if(fields.begin(), fields.end(),
                             [&](const auto& f) { return f.first == name; });
      if (it != fields.end())
        it->second = v;
      else
        fields.emplace_back(std::move(name), v);
    }
    fields.emplace_back("content-length", std::to_string(rs.body.size()));
    auto nv = [](const std::string& name, const std::string& value) {
      return nghttp2_nv{reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
                        reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(),
                        value.size(), NGHTTP2_NV_FLAG_NONE};
    };
    const std::string status_name = ":status";
    std::vector<nghttp2_nv> headers{nv(status_name, rs.status)};
    for (const auto& [k, v] : fields) headers.push_back(nv(k, v));
    nghttp2_data_provider body{};
    body.source.ptr = &rs;
    body.read_callback = read_body;
    const int rv = nghttp2_submit_response(session, id, headers.data(), headers.size(),
                                           head ? nullptr : &body);
    if (rv != 0) {
      log::debug("HTTP/2 response failed", {{"remote", remote}, {"error", nghttp2_strerror(rv)}});
      nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, id, NGHTTP2_INTERNAL_ERROR);
    }
  }

  // ---- nghttp2 callbacks (user_data: the H2Session) ----

  static H2Session* self_of(void* user_data) { return static_cast<H2Session*>(user_data); }

  static int on_begin_headers(nghttp2_session* s, const nghttp2_frame* f, void* ud) {
    if (f->hd.type != NGHTTP2_HEADERS || f->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
    H2Session* self = self_of(ud);
    // Past the cap, this stream is the last one: a graceful GOAWAY, the client reconnects.
    if (++self->opened == kH2MaxStreamsPerConnection)
      nghttp2_submit_goaway(s, NGHTTP2_FLAG_NONE, f->hd.stream_id, NGHTTP2_NO_ERROR, nullptr, 0);
    auto rs = std::make_unique<RequestStream>();
    rs->request.remote = self->remote;
    nghttp2_session_set_stream_user_data(s, f->hd.stream_id, rs.get());
    self->streams[f->hd.stream_id] = std::move(rs);
    return 0;
  }

  static int on_header(nghttp2_session*, const nghttp2_frame* f, const uint8_t* name,
                       size_t namelen, const uint8_t* value, size_t valuelen, uint8_t, void* ud) {
    if (f->hd.type != NGHTTP2_HEADERS || f->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
    RequestStream* rs = self_of(ud)->stream_of(f->hd.stream_id);
    if (!rs || rs->headers_too_large) return 0;
    rs->header_bytes += namelen + valuelen + 32;
    if (rs->header_bytes > kH2MaxHeaderListSize) {
      rs->headers_too_large = true;  // answered 431 once the header block ends
      rs->request.headers.clear();
      return 0;
    }
    std::string n(reinterpret_cast<const char*>(name), namelen);
    std::string v(reinterpret_cast<const char*>(value), valuelen);
    Request& r = rs->request;
    if (n == ":method") {
      r.method = std::move(v);
    } else if (n == ":path") {
      r.target = std::move(v);
    } else if (n == ":authority") {
      rs->authority = std::move(v);
    } else if (!n.empty() && n.front() != ':') {
      // Lower-case already (nghttp2 refuses upper-case names). As over HTTP/1.1 the last
      // value wins, but split cookie fields are joined again (RFC 9113 §8.2.3).
      auto [it, fresh] = r.headers.try_emplace(n, v);
      if (!fresh) it->second = n == "cookie" ? it->second + "; " + v : v;
    }
    return 0;
  }

  static int on_data_chunk(nghttp2_session*, uint8_t, int32_t id, const uint8_t* data, size_t len,
                           void* ud) {
    H2Session* self = self_of(ud);
    RequestStream* rs = self->stream_of(id);
    if (!rs || rs->answered) return 0;
    rs->received += len;
    if (rs->received > self->server->options.body_limit) {
      self->reject(id, *rs, 413, "request body too large\n");
    } else if (rs->body_too_large) {
      // dropped: answered 413 at the end
    } else if (self->buffered + len > self->buffered_cap()) {
      // Too many large bodies at once on this connection: this one is not processed.
      log::debug("HTTP/2 request bodies over the connection's cap; stream refused",
                 {{"remote", self->remote}});
      self->release_body(*rs);
      rs->answered = true;
      nghttp2_submit_rst_stream(self->session, NGHTTP2_FLAG_NONE, id, NGHTTP2_REFUSED_STREAM);
    } else {
      rs->request.body.append(reinterpret_cast<const char*>(data), len);
      self->buffered += len;
    }
    return 0;
  }

  static int on_frame_recv(nghttp2_session* s, const nghttp2_frame* f, void* ud) {
    H2Session* self = self_of(ud);
    const int32_t id = f->hd.stream_id;
    switch (f->hd.type) {
      case NGHTTP2_HEADERS: {
        RequestStream* rs = self->stream_of(id);
        if (!rs) return 0;
        if (f->headers.cat == NGHTTP2_HCAT_REQUEST && !rs->answered) {
          uint64_t length = 0;
          auto cl = rs->request.headers.find("content-length");
          if (rs->headers_too_large) {
            self->reject(id, *rs, 431, "request header fields too large\n");
          } else if (cl != rs->request.headers.end() &&
                     std::from_chars(cl->second.data(), cl->second.data() + cl->second.size(),
                                     length)
                             .ec == std::errc() &&
                     length > self->server->options.body_limit) {
            // Not buffered; the 413 goes out once the body crosses the limit or ends. At
            // once, it would race the upload and need a RST_STREAM, which some clients
            // (curl 7.88) report as a failed transfer even after a complete response.
            rs->body_too_large = true;
          }
        }
        if (f->hd.flags & NGHTTP2_FLAG_END_STREAM) self->complete(id, *rs);
        break;
      }
      case NGHTTP2_DATA:
        if (f->hd.flags & NGHTTP2_FLAG_END_STREAM)
          if (RequestStream* rs = self->stream_of(id)) self->complete(id, *rs);
        break;
      case NGHTTP2_RST_STREAM:
        // Rapid-reset abuse (CVE-2023-44487): a client cancelling stream after stream.
        if (++self->client_resets == kH2MaxClientResets + 1) {
          log::debug("HTTP/2 client reset too many streams; closing", {{"remote", self->remote}});
          nghttp2_session_terminate_session(s, NGHTTP2_ENHANCE_YOUR_CALM);
          self->stop_reading = true;
        }
        break;
      default:
        break;
    }
    return 0;
  }

  static int on_frame_send(nghttp2_session* s, const nghttp2_frame* f, void* ud) {
    if ((f->hd.type != NGHTTP2_DATA && f->hd.type != NGHTTP2_HEADERS) ||
        !(f->hd.flags & NGHTTP2_FLAG_END_STREAM))
      return 0;
    RequestStream* rs = self_of(ud)->stream_of(f->hd.stream_id);
    if (rs && rs->reset_after_response &&
        nghttp2_session_get_stream_remote_close(s, f->hd.stream_id) == 0)
      nghttp2_submit_rst_stream(s, NGHTTP2_FLAG_NONE, f->hd.stream_id, NGHTTP2_NO_ERROR);
    return 0;
  }

  static int on_stream_close(nghttp2_session*, int32_t id, uint32_t, void* ud) {
    H2Session* self = self_of(ud);
    auto it = self->streams.find(id);
    if (it != self->streams.end()) {
      self->release_body(*it->second);
      self->streams.erase(it);
    }
    return 0;
  }

  static ssize_t read_body(nghttp2_session*, int32_t, uint8_t* buf, size_t length, uint32_t* flags,
                           nghttp2_data_source* source, void*) {
    auto* rs = static_cast<RequestStream*>(source->ptr);
    const size_t n = std::min(length, rs->body.size() - rs->sent);
    if (n > 0) std::memcpy(buf, rs->body.data() + rs->sent, n);
    rs->sent += n;
    if (rs->sent == rs->body.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }

  static int on_error(nghttp2_session*, int, const char* msg, size_t len, void* ud) {
    log::debug("HTTP/2 protocol error",
               {{"remote", self_of(ud)->remote}, {"error", std::string(msg, len)}});
    return 0;
  }
};

}  // namespace

void serve_http2(ServerState& server, TlsStream stream, beast::flat_buffer already_read) {
  std::make_shared<H2Session>(&server, std::move(stream), std::move(already_read))->start();
}

}  // namespace iu::server
