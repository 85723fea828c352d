@tool
extends Node
## HTTP side of the editor dock: fetches [code]GET /overview[/code], sends scene commands and
## follows the daemon's [code]GET /events[/code] stream, all without blocking the editor.
##
## Requests use [HTTPRequest] nodes. The event stream uses an [HTTPClient] polled in
## [method _process], reconnects with backoff and resumes with [code]Last-Event-ID[/code].
## Call [method configure] before use and again whenever the settings may have changed.

## Emitted with the parsed body of a successful [code]GET /overview[/code].
signal overview_received(overview: Dictionary)
## Emitted when [code]GET /overview[/code] failed; [param message] says why and what to do.
signal overview_failed(message: String)
## Emitted when a command from [method send_command] finished, with the HTTP status (0 when no
## answer came) and the parsed body (empty when it was not JSON).
signal command_finished(action: String, status: int, body: Dictionary)
## Emitted for each event of the stream, with its name and parsed [code]data[/code].
signal event_received(event_name: String, data: Dictionary)
## Emitted when the event stream connects (true) or drops (false).
signal stream_state_changed(connected: bool)

const SseParser := preload("sse_parser.gd")

const REQUEST_TIMEOUT_SEC := 10.0
const STREAM_RETRY_BASE_SEC := 1.0
const STREAM_RETRY_MAX_SEC := 30.0

enum StreamState { IDLE, CONNECTING, REQUESTING, STREAMING }

var _base_url := ""
var _token := ""
var _overview_request: HTTPRequest
var _overview_busy := false
var _stream: HTTPClient
var _stream_state: StreamState = StreamState.IDLE
var _stream_parser := SseParser.new()
var _stream_retry_in_sec := 0.0
var _stream_failures := 0
var _stream_enabled := false


func _ready() -> void:
	_overview_request = _new_request()
	_overview_request.request_completed.connect(_on_overview_completed)


func _exit_tree() -> void:
	stop_stream()


func _process(delta: float) -> void:
	if not _stream_enabled:
		return
	if _stream_state == StreamState.IDLE:
		_stream_retry_in_sec -= delta
		if _stream_retry_in_sec <= 0.0:
			_open_stream()
		return
	_poll_stream()


## Sets the daemon's HTTP base URL (no trailing slash) and the pairing token. A changed URL
## or token restarts the event stream.
func configure(base_url: String, token: String) -> void:
	var changed := base_url != _base_url or token != _token
	_base_url = base_url.trim_suffix("/")
	_token = token
	if changed and _stream_enabled:
		_close_stream()
		_stream_retry_in_sec = 0.0


## Returns the HTTP base URL in use.
func get_base_url() -> String:
	return _base_url


## Requests [code]GET /overview[/code]; a request still running is not repeated.
func refresh_overview() -> void:
	if _overview_busy:
		return
	var error := _overview_request.request(_base_url + "/overview", _headers())
	if error != OK:
		overview_failed.emit("The request to %s/overview could not start: %s." % [
			_base_url, error_string(error)])
		return
	_overview_busy = true


## Sends [param method] [param path] with a JSON [param body] and emits [signal
## command_finished] with [param action] when it answers.
func send_command(action: String, method: HTTPClient.Method, path: String,
		body: Dictionary) -> void:
	var request := _new_request()
	request.request_completed.connect(
			func(result: int, status: int, _headers: PackedStringArray, data: PackedByteArray) -> void:
				request.queue_free()
				if result != HTTPRequest.RESULT_SUCCESS:
					command_finished.emit(action, 0, {"error": {"message": _describe_result(result)}})
					return
				command_finished.emit(action, status, _parse_object(data)))
	var headers := _headers()
	headers.append("Content-Type: application/json")
	var error := request.request(_base_url + path, headers, method, JSON.stringify(body))
	if error != OK:
		request.queue_free()
		command_finished.emit(action, 0, {"error": {"message": error_string(error)}})


## Starts following [code]GET /events[/code]; it reconnects on its own until
## [method stop_stream].
func start_stream() -> void:
	_stream_enabled = true
	_stream_retry_in_sec = 0.0


## Stops the event stream.
func stop_stream() -> void:
	_stream_enabled = false
	_close_stream()


## Returns true while the event stream is open.
func is_streaming() -> bool:
	return _stream_state == StreamState.STREAMING


func _new_request() -> HTTPRequest:
	var request := HTTPRequest.new()
	request.timeout = REQUEST_TIMEOUT_SEC
	request.use_threads = false
	add_child(request)
	return request


func _headers() -> PackedStringArray:
	var headers: PackedStringArray = ["Accept: application/json"]
	if not _token.is_empty():
		headers.append("Authorization: Bearer " + _token)
	return headers


func _on_overview_completed(result: int, status: int, _headers: PackedStringArray,
		data: PackedByteArray) -> void:
	_overview_busy = false
	if result != HTTPRequest.RESULT_SUCCESS:
		overview_failed.emit("The daemon at %s is not reachable (%s)." % [
			_base_url, _describe_result(result)])
		return
	var body := _parse_object(data)
	if status == 401:
		overview_failed.emit("The daemon at %s rejected the token. Set godot_bridge/token, " % _base_url
				+ "or check that the daemon serves this project.")
		return
	if status != 200:
		var error: Variant = body.get("error")
		var message := str((error as Dictionary).get("message", "")) if error is Dictionary else ""
		overview_failed.emit("GET /overview answered HTTP %d. %s" % [status, message])
		return
	overview_received.emit(body)


func _open_stream() -> void:
	var target := parse_http_url(_base_url)
	if target.is_empty():
		push_error("godot_bridge: the daemon URL %s is invalid; use http://HOST:PORT." % _base_url)
		_schedule_stream_retry()
		return
	_stream = HTTPClient.new()
	var tls: TLSOptions = TLSOptions.client() if bool(target["tls"]) else null
	var error := _stream.connect_to_host(str(target["host"]), int(target["port"]), tls)
	if error != OK:
		_schedule_stream_retry()
		return
	_stream_parser.reset()
	_stream_state = StreamState.CONNECTING


func _poll_stream() -> void:
	_stream.poll()
	var status := _stream.get_status()
	match status:
		HTTPClient.STATUS_RESOLVING, HTTPClient.STATUS_CONNECTING, HTTPClient.STATUS_REQUESTING:
			return
		HTTPClient.STATUS_CONNECTED:
			if _stream_state == StreamState.CONNECTING:
				_send_stream_request()
			elif _stream_state == StreamState.STREAMING:
				# The daemon ended the response: reconnect and resume from the last id.
				_schedule_stream_retry()
			return
		HTTPClient.STATUS_BODY:
			_read_stream_body()
		_:
			_schedule_stream_retry()


func _send_stream_request() -> void:
	var headers := _headers()
	headers.append("Accept: text/event-stream")
	if not _stream_parser.last_event_id.is_empty():
		headers.append("Last-Event-ID: " + _stream_parser.last_event_id)
	var error := _stream.request(HTTPClient.METHOD_GET, "/events", headers)
	if error != OK:
		_schedule_stream_retry()
		return
	_stream_state = StreamState.REQUESTING


func _read_stream_body() -> void:
	if _stream_state != StreamState.STREAMING:
		if _stream.get_response_code() != 200:
			# 401 and the like do not heal by retrying fast; the overview says why.
			_stream_failures = maxi(_stream_failures, 4)
			_schedule_stream_retry()
			return
		_stream_state = StreamState.STREAMING
		_stream_failures = 0
		stream_state_changed.emit(true)
	var chunk := _stream.read_response_body_chunk()
	if chunk.is_empty():
		return
	for event: Dictionary in _stream_parser.feed(chunk.get_string_from_utf8()):
		var payload: Variant = JSON.parse_string(str(event["data"]))
		var data: Dictionary = {}
		if payload is Dictionary:
			# The daemon wraps each event as {"event", "timestamp", "data"}.
			var inner: Variant = (payload as Dictionary).get("data", payload)
			data = inner if inner is Dictionary else payload
		event_received.emit(str(event["event"]), data)


## Waits before reopening the stream: 1 s doubling up to 30 s.
func _schedule_stream_retry() -> void:
	var was_streaming := _stream_state == StreamState.STREAMING
	_close_stream()
	_stream_retry_in_sec = minf(STREAM_RETRY_BASE_SEC * pow(2.0, _stream_failures),
			STREAM_RETRY_MAX_SEC)
	_stream_failures += 1
	if was_streaming:
		stream_state_changed.emit(false)


func _close_stream() -> void:
	if _stream != null:
		_stream.close()
		_stream = null
	_stream_state = StreamState.IDLE


## Splits [code]http://host:port[/code] into host, port and whether TLS is on; returns an
## empty dictionary for anything else.
static func parse_http_url(base_url: String) -> Dictionary:
	var tls := base_url.begins_with("https://")
	if not tls and not base_url.begins_with("http://"):
		return {}
	var rest := base_url.substr(8 if tls else 7)
	var slash := rest.find("/")
	if slash >= 0:
		rest = rest.substr(0, slash)
	var host := rest
	var port := 443 if tls else 80
	var colon := rest.rfind(":")
	if colon > 0 and not rest.ends_with("]"):
		host = rest.substr(0, colon)
		var port_text := rest.substr(colon + 1)
		if not port_text.is_valid_int():
			return {}
		port = int(port_text)
	host = host.trim_prefix("[").trim_suffix("]")
	if host.is_empty():
		return {}
	return {"host": host, "port": port, "tls": tls}


static func _parse_object(data: PackedByteArray) -> Dictionary:
	var parsed: Variant = JSON.parse_string(data.get_string_from_utf8())
	return parsed if parsed is Dictionary else {}


static func _describe_result(result: int) -> String:
	match result:
		HTTPRequest.RESULT_CANT_CONNECT, HTTPRequest.RESULT_CONNECTION_ERROR:
			return "connection refused"
		HTTPRequest.RESULT_CANT_RESOLVE:
			return "host name not resolved"
		HTTPRequest.RESULT_TIMEOUT:
			return "timed out"
		HTTPRequest.RESULT_TLS_HANDSHAKE_ERROR:
			return "TLS handshake failed"
		_:
			return "HTTPRequest result %d" % result
