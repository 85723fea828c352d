@tool
extends RefCounted
## Incremental parser for a Server-Sent Events stream (the [code]text/event-stream[/code]
## format of the WHATWG HTML standard, section "Server-sent events").
##
## Feed it body chunks in any split with [method feed]; it returns each event complete so far
## as a dictionary with [code]id[/code], [code]event[/code] and [code]data[/code] strings.
## Comment lines (starting with a colon) and the [code]retry[/code] field are skipped.

## ID of the last event that carried one, for the [code]Last-Event-ID[/code] header on reconnect.
var last_event_id: String = ""

var _buffer := ""
var _event_name := ""
var _data_lines: PackedStringArray = []


## Parses [param chunk] and returns the events it completed, oldest first.
func feed(chunk: String) -> Array[Dictionary]:
	var events: Array[Dictionary] = []
	_buffer += chunk
	while true:
		var line_end := _find_line_end()
		if line_end < 0:
			break
		var line := _buffer.substr(0, line_end)
		var skip := 1
		if _buffer.substr(line_end, 2) == "\r\n":
			skip = 2
		_buffer = _buffer.substr(line_end + skip)
		var event := _handle_line(line)
		if not event.is_empty():
			events.append(event)
	return events


## Drops a partly received event, as after a reconnect.
func reset() -> void:
	_buffer = ""
	_event_name = ""
	_data_lines.clear()


func _find_line_end() -> int:
	var newline := _buffer.find("\n")
	var carriage := _buffer.find("\r")
	if carriage >= 0 and carriage == _buffer.length() - 1:
		# A lone CR at the end may be the first half of CRLF: wait for the next chunk.
		return newline if newline >= 0 and newline < carriage else -1
	if newline < 0:
		return carriage
	if carriage < 0:
		return newline
	return mini(newline, carriage)


func _handle_line(line: String) -> Dictionary:
	if line.is_empty():
		return _dispatch()
	if line.begins_with(":"):
		return {}
	var field := line
	var value := ""
	var colon := line.find(":")
	if colon >= 0:
		field = line.substr(0, colon)
		value = line.substr(colon + 1)
		if value.begins_with(" "):
			value = value.substr(1)
	match field:
		"event":
			_event_name = value
		"data":
			_data_lines.append(value)
		"id":
			last_event_id = value
	return {}


func _dispatch() -> Dictionary:
	if _data_lines.is_empty():
		_event_name = ""
		return {}
	var event := {
		"id": last_event_id,
		"event": _event_name if not _event_name.is_empty() else "message",
		"data": "\n".join(_data_lines),
	}
	_event_name = ""
	_data_lines.clear()
	return event
