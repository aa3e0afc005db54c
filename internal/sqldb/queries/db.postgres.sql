-- name: server-setting
SELECT current_setting(?);
