@tool
extends Node
## Runtime side of godot-bridge: a WebSocket client that connects to the daemon, sends the
## hello, runs the daemon's scene commands within a per-frame time budget and reports scene
## changes and frame timing.
##
## The plugin registers this script as the [code]GodotBridge[/code] autoload. It polls the
## socket in [method _process], so it never blocks the main loop, and it reconnects with
## exponential backoff when the daemon goes away.

## Emitted when the daemon accepted the hello and assigned [param instance_id].
signal connected(instance_id: String)
## Emitted when the link to the daemon closed.
signal disconnected(close_code: int, reason: String)

const BridgeConfig := preload("bridge_config.gd")
const EngineLogCapture := preload("engine_log_capture.gd")
const SceneCommands := preload("scene_commands.gd")

## Largest message the link carries in either direction, in bytes.
const MAX_MESSAGE_BYTES := 1 << 20
## Socket buffers hold one maximum-size message plus framing headroom, in bytes.
const SOCKET_BUFFER_BYTES := MAX_MESSAGE_BYTES + (64 << 10)
const RECONNECT_BASE_SEC := 0.5
const RECONNECT_MAX_SEC := 30.0
const CONNECT_TIMEOUT_SEC := 10.0
const STATUS_INTERVAL_SEC := 5.0
const HELLO_ID := "1"
## Close codes after which retrying soon cannot help: wrong token, wrong protocol version or a
## hello the daemon rejected.
const REJECTED_CLOSE_CODES: Array[int] = [4001, 4002, 4003]

enum State { DISABLED, WAITING, CONNECTING, HELLO_SENT, READY }

var _config := BridgeConfig.new()
var _logger := EngineLogCapture.new()
var _commands: SceneCommands
var _socket: WebSocketPeer
var _state: State = State.DISABLED
var _failed_attempts := 0
var _retry_in_sec := 0.0
var _state_elapsed_sec := 0.0
var _status_elapsed_sec := 0.0
var _frame_time_ms := 0.0
var _instance_id := ""
var _hello_rejected := false
var _queue: Array[Dictionary] = []
var _open_request_ids: Dictionary = {}
var _last_scene_id := 0


func _ready() -> void:
	_config.resolve()
	if not _config.enabled:
		set_process(false)
		return

	OS.add_logger(_logger)
	_commands = SceneCommands.new(get_tree(), _logger)
	_commands.command_finished.connect(_on_command_finished)
	_last_scene_id = _current_scene_id()
	process_mode = Node.PROCESS_MODE_ALWAYS
	_connect_to_daemon()


func _exit_tree() -> void:
	if _socket != null:
		_socket.close(1001, "Godot is quitting")
	if _config.enabled:
		OS.remove_logger(_logger)


func _process(delta: float) -> void:
	_track_frame_time(delta)
	_state_elapsed_sec += delta
	if _state == State.WAITING:
		_retry_in_sec -= delta
		if _retry_in_sec <= 0.0:
			_connect_to_daemon()
		return
	if _socket == null:
		return

	_socket.poll()
	var ready_state := _socket.get_ready_state()
	if ready_state == WebSocketPeer.STATE_OPEN and _state == State.CONNECTING:
		_send_hello()
		_set_state(State.HELLO_SENT)
	# Read before handling a close: the daemon sends its reason for rejecting a hello as a
	# message just before it closes the socket.
	while _socket.get_available_packet_count() > 0:
		_handle_text(_socket.get_packet().get_string_from_utf8())

	match ready_state:
		WebSocketPeer.STATE_OPEN:
			_run_linked_frame()
		WebSocketPeer.STATE_CONNECTING:
			if _state_elapsed_sec > CONNECT_TIMEOUT_SEC:
				push_warning("godot_bridge: connecting to %s timed out." % _config.url)
				_socket.close()
				_schedule_reconnect()
		WebSocketPeer.STATE_CLOSED:
			_on_socket_closed()


## Returns true when the daemon accepted the hello and commands can flow.
func is_linked() -> bool:
	return _state == State.READY


## Returns the id the daemon gave this instance, or an empty string before the hello.
func get_instance_id_on_daemon() -> String:
	return _instance_id


func _connect_to_daemon() -> void:
	_socket = WebSocketPeer.new()
	_socket.inbound_buffer_size = SOCKET_BUFFER_BYTES
	_socket.outbound_buffer_size = SOCKET_BUFFER_BYTES
	var error := _socket.connect_to_url(_config.url)
	if error != OK:
		push_error("godot_bridge: cannot connect to %s: %s." % [_config.url, error_string(error)])
		_socket = null
		_schedule_reconnect()
		return
	print_verbose("godot_bridge: connecting to %s." % _config.url)
	_set_state(State.CONNECTING)


func _run_linked_frame() -> void:
	if _state != State.READY:
		return
	var deadline_usec := Time.get_ticks_usec() + int(_config.frame_budget_ms * 1000.0)
	_run_queued_commands(deadline_usec)
	_commands.poll(deadline_usec)
	_report_scene_change()
	_report_status_when_due()


func _on_socket_closed() -> void:
	var code := _socket.get_close_code()
	var reason := _socket.get_close_reason()
	var was_ready := _state == State.READY
	_socket = null
	_queue.clear()
	_open_request_ids.clear()
	_instance_id = ""

	if code in REJECTED_CLOSE_CODES:
		_hello_rejected = true
	if was_ready:
		print_verbose("godot_bridge: disconnected (%d %s)." % [code, reason])
		disconnected.emit(code, reason)
	_schedule_reconnect()


## Waits before the next attempt: 0.5 s doubling up to 30 s, and 30 s at once after the
## daemon rejected the hello, so a wrong token or protocol version cannot cause a fast loop.
func _schedule_reconnect() -> void:
	if _hello_rejected:
		_retry_in_sec = RECONNECT_MAX_SEC
	else:
		_retry_in_sec = minf(RECONNECT_BASE_SEC * pow(2.0, _failed_attempts), RECONNECT_MAX_SEC)
	_failed_attempts += 1
	print_verbose("godot_bridge: next connection attempt in %.1f s." % _retry_in_sec)
	_set_state(State.WAITING)


func _send_hello() -> void:
	var version := Engine.get_version_info()
	var project_name := str(ProjectSettings.get_setting("application/config/name", ""))
	_send({
		"jsonrpc": "2.0",
		"id": HELLO_ID,
		"method": "hello",
		"params": {
			"token": _config.token,
			"protocol_version": BridgeConfig.PROTOCOL_VERSION,
			"addon_version": BridgeConfig.ADDON_VERSION,
			"engine_version": {
				"major": version["major"],
				"minor": version["minor"],
				"patch": version["patch"],
				"status": version["status"],
				"string": _engine_version_string(version),
			},
			"project_name": project_name,
			"role": _config.role,
			"instance_name": _config.instance_name,
			"platform": OS.get_name(),
			"xr_active": _is_xr_active(),
			"current_scene": _current_scene_path(),
			"frame_time_ms": _frame_time_ms,
		},
	})


func _handle_text(text: String) -> void:
	var message: Variant = JSON.parse_string(text)
	if not message is Dictionary:
		push_error("godot_bridge: the daemon sent a message that is not a JSON object.")
		return

	var data: Dictionary = message
	if _state == State.HELLO_SENT:
		_handle_hello_response(data)
	elif data.has("method") and data.has("id"):
		_queue_request(data)
	elif data.has("method"):
		print_verbose("godot_bridge: ignored notification %s." % str(data["method"]))
	else:
		print_verbose("godot_bridge: ignored a response for id %s." % str(data.get("id")))


func _handle_hello_response(data: Dictionary) -> void:
	if data.get("error") is Dictionary:
		var error: Dictionary = data["error"]
		push_error("godot_bridge: the daemon at %s rejected the hello: %s" % [
			_config.url, str(error.get("message", "no message"))])
		_hello_rejected = true
		return
	if not data.get("result") is Dictionary:
		push_error("godot_bridge: the daemon answered the hello without a result object.")
		return

	var result: Dictionary = data["result"]
	_instance_id = str(result.get("instance_id", ""))
	_failed_attempts = 0
	_hello_rejected = false
	_status_elapsed_sec = 0.0
	_last_scene_id = _current_scene_id()
	_set_state(State.READY)
	print_verbose("godot_bridge: linked to %s as %s." % [_config.url, _instance_id])
	connected.emit(_instance_id)


func _queue_request(data: Dictionary) -> void:
	var request_id: Variant = _normalize_id(data["id"])
	var params: Variant = data.get("params", {})
	if not params is Dictionary:
		_send_error(request_id, SceneCommands.ERR_INVALID_PARAMS, "params must be a JSON object.")
		return
	_open_request_ids[request_id] = true
	_queue.append({"id": request_id, "method": str(data["method"]), "params": params})


## Starts queued commands until the frame budget is spent; at least one starts per frame.
func _run_queued_commands(deadline_usec: int) -> void:
	while not _queue.is_empty():
		var request: Dictionary = _queue.pop_front()
		_commands.start(request["id"], request["method"], request["params"])
		if Time.get_ticks_usec() >= deadline_usec:
			break


func _on_command_finished(request_id: Variant, response: Dictionary) -> void:
	# A command that outlived its connection has no one left to answer.
	if not _open_request_ids.has(request_id) or _state != State.READY:
		return
	_open_request_ids.erase(request_id)
	var message := {"jsonrpc": "2.0", "id": request_id}
	message.merge(response)
	_send(message)


func _send_error(request_id: Variant, code: int, text: String) -> void:
	_send({"jsonrpc": "2.0", "id": request_id, "error": {"code": code, "message": text}})


func _send(message: Dictionary) -> void:
	var payload := JSON.stringify(message).to_utf8_buffer()
	if payload.size() > MAX_MESSAGE_BYTES:
		push_error("godot_bridge: a %d-byte message exceeds the %d-byte limit and was dropped." % [
			payload.size(), MAX_MESSAGE_BYTES])
		return
	var error := _socket.send(payload, WebSocketPeer.WRITE_MODE_TEXT)
	if error != OK:
		push_error("godot_bridge: sending to the daemon failed: %s." % error_string(error))


func _report_scene_change() -> void:
	var scene_id := _current_scene_id()
	if scene_id == _last_scene_id:
		return
	# During a swap the tree has no current scene for a frame; report only where it lands.
	var current := _commands.get_current_scene()
	if current == null and _commands.is_changing_scene():
		return
	if current != null and not current.is_inside_tree():
		return
	_last_scene_id = scene_id
	_send({
		"jsonrpc": "2.0",
		"method": "scene.changed",
		"params": {"current_scene": _current_scene_path()},
	})


func _report_status_when_due() -> void:
	_status_elapsed_sec += get_process_delta_time()
	if _status_elapsed_sec < STATUS_INTERVAL_SEC:
		return
	_status_elapsed_sec = 0.0
	_send({
		"jsonrpc": "2.0",
		"method": "instance.status",
		"params": {
			"frame_time_ms": _frame_time_ms,
			"fps": Engine.get_frames_per_second(),
			"xr_active": _is_xr_active(),
		},
	})


## Keeps a moving average over about 30 frames, so one slow frame does not dominate.
func _track_frame_time(delta: float) -> void:
	var sample_ms := delta * 1000.0
	if _frame_time_ms == 0.0:
		_frame_time_ms = sample_ms
	else:
		_frame_time_ms += (sample_ms - _frame_time_ms) / 30.0


func _set_state(state: State) -> void:
	_state = state
	_state_elapsed_sec = 0.0


func _current_scene_id() -> int:
	var current := _commands.get_current_scene() if _commands != null else null
	return current.get_instance_id() if current != null else 0


func _current_scene_path() -> Variant:
	var current := _commands.get_current_scene() if _commands != null else null
	if current == null or current.scene_file_path.is_empty():
		return null
	return current.scene_file_path


## Formats the version as Godot's banner does: 4.6.stable.official.89cea1439, with the patch
## number only when it is not 0.
static func _engine_version_string(version: Dictionary) -> String:
	var number := "%d.%d" % [version["major"], version["minor"]]
	if int(version["patch"]) != 0:
		number += ".%d" % version["patch"]
	var text := "%s.%s.%s" % [number, version["status"], version["build"]]
	var commit := str(version.get("hash", ""))
	return text + "." + commit.left(9) if not commit.is_empty() else text


static func _is_xr_active() -> bool:
	var primary: XRInterface = XRServer.primary_interface
	return primary != null and primary.is_initialized()


## JSON numbers arrive as floats, so a whole-number id goes back as an integer.
static func _normalize_id(value: Variant) -> Variant:
	if value is float and is_equal_approx(value, roundf(value)):
		return int(value)
	return value
