@tool
extends Logger
## Collects the errors and warnings that the engine reports while bridge commands run, so each
## reply can carry the messages its command caused.
##
## Godot calls a logger from whichever thread reports the error, so the captures sit behind a
## mutex. Every open capture receives every message; a capture keeps at most
## [constant MAX_MESSAGES_PER_CAPTURE] of them.

const MAX_MESSAGES_PER_CAPTURE := 100
const KIND_NAMES: PackedStringArray = ["error", "warning", "script", "shader"]

var _mutex := Mutex.new()
var _captures: Dictionary[int, Array] = {}
var _next_capture_id: int = 1


## Starts collecting messages and returns the capture id for [method end_capture].
func begin_capture() -> int:
	_mutex.lock()
	var capture_id := _next_capture_id
	_next_capture_id += 1
	_captures[capture_id] = []
	_mutex.unlock()
	return capture_id


## Stops a capture and returns its messages as EngineMessage dictionaries (message, file,
## line, function, kind).
func end_capture(capture_id: int) -> Array[Dictionary]:
	_mutex.lock()
	var collected: Array = _captures.get(capture_id, [])
	_captures.erase(capture_id)
	_mutex.unlock()

	var messages: Array[Dictionary] = []
	messages.assign(collected)
	return messages


func _log_error(function: String, file: String, line: int, code: String, rationale: String,
		_editor_notify: bool, error_type: int, _script_backtraces: Array[ScriptBacktrace]) -> void:
	var kind := "error"
	if error_type >= 0 and error_type < KIND_NAMES.size():
		kind = KIND_NAMES[error_type]
	var entry := {
		"message": code if rationale.is_empty() else rationale,
		"file": file,
		"line": line,
		"function": function,
		"kind": kind,
	}

	_mutex.lock()
	for capture_id: int in _captures:
		var messages: Array = _captures[capture_id]
		if messages.size() < MAX_MESSAGES_PER_CAPTURE:
			messages.append(entry.duplicate())
	_mutex.unlock()


func _log_message(_message: String, _error: bool) -> void:
	pass
