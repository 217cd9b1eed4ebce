include $(sort $(wildcard $(BR2_EXTERNAL_PTSHARE_PATH)/package/*/*.mk))
